using System.Reflection;

namespace Lifelong.Reports.Figures;

/// <summary>Text as pen strokes, from the Hershey simplex font (<c>Fonts/futural.jhf</c>, provenance in <c>Fonts/README.md</c>):
/// how the PNG rasterizer draws text without a system font, and how both back ends measure it.</summary>
internal sealed class StrokeFont
{
    /// <summary>Font units per point of font size: capitals are 21 units tall, 0.72 of the size as in Helvetica.</summary>
    private const double UnitsPerSize = 21 / 0.72;

    private const int Baseline = 9;

    private readonly Dictionary<char, Glyph> _glyphs;

    private StrokeFont(Dictionary<char, Glyph> glyphs) => _glyphs = glyphs;

    /// <summary>The simplex font, with θ from the simplex Greek.</summary>
    public static StrokeFont Simplex { get; } = Load();

    /// <summary>The advance width of <paramref name="text"/> at font size <paramref name="size"/>, in the size's units.</summary>
    public double Measure(string text, double size) => Pieces(text).Sum(p => p.Glyph.Advance * p.Scale) * size / UnitsPerSize;

    /// <summary>The strokes of <paramref name="text"/> (polylines), its baseline starting at (<paramref name="x"/>, <paramref name="y"/>),
    /// running left to right, or bottom to top when <paramref name="vertical"/>.</summary>
    public List<PointD[]> Strokes(string text, double x, double y, double size, bool vertical)
    {
        double unit = size / UnitsPerSize, pen = 0;
        var strokes = new List<PointD[]>();
        foreach (var (glyph, scale, rise) in Pieces(text))
        {
            foreach (var stroke in glyph.Strokes)
            {
                strokes.Add([.. stroke.Select(p =>
                {
                    double along = (pen + (p.X - glyph.Left) * scale) * unit, up = ((Baseline - p.Y) * scale + rise) * unit;
                    return vertical ? new PointD(x - up, y - along) : new PointD(x + along, y - up);
                })]);
            }
            pen += glyph.Advance * scale;
        }
        return strokes;
    }

    /// <summary>Each character as (glyph, scale, rise in font units): subscript digits small and lowered, a few symbols
    /// spelled with ASCII, anything unknown as '?'.</summary>
    private IEnumerable<(Glyph Glyph, double Scale, double Rise)> Pieces(string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case >= '₀' and <= '₉': yield return (_glyphs[(char)('0' + (c - '₀'))], 0.65, -5); break;
                case '²': yield return (_glyphs['2'], 0.65, 10); break;
                case '−' or '–': yield return (_glyphs['-'], 1, 0); break;
                case '‖': yield return (_glyphs['|'], 1, 0); yield return (_glyphs['|'], 1, 0); break;
                case '…': for (int i = 0; i < 3; i++) yield return (_glyphs['.'], 1, 0); break;
                case '·': yield return (_glyphs['.'], 1, 8); break;
                case '±': yield return (_glyphs['+'], 1, 0); yield return (_glyphs['/'], 1, 0); yield return (_glyphs['-'], 1, 0); break;
                case '×': yield return (_glyphs['x'], 1, 0); break;
                case 'θ': yield return (_glyphs['θ'], 0.8, 0); break;
                default: yield return (_glyphs.TryGetValue(c, out var glyph) ? glyph : _glyphs['?'], 1, 0); break;
            }
        }
    }

    private static StrokeFont Load()
    {
        var glyphs = new Dictionary<char, Glyph>();
        var roman = Read("futural.jhf");
        for (int i = 0; i < roman.Count; i++) glyphs[(char)(' ' + i)] = roman[i];
        // The Greek file follows the Latin order. Its lower-case theta (at 'h') is the script form ϑ, so θ is drawn as the
        // capital Θ (at 'H') at ascender height instead.
        glyphs['θ'] = Read("greeks.jhf")['H' - ' '];
        return new StrokeFont(glyphs);
    }

    private static List<Glyph> Read(string file)
    {
        var assembly = typeof(StrokeFont).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream($"Lifelong.Reports.Figures.Fonts.{file}")
            ?? throw new InvalidOperationException($"the font resource {file} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var glyphs = new List<Glyph>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length < 10) continue;
            int left = line[8] - 'R', right = line[9] - 'R';
            var strokes = new List<List<(int X, int Y)>> { new() };
            for (int k = 10; k + 1 < line.Length; k += 2)
            {
                if (line[k] == ' ' && line[k + 1] == 'R') strokes.Add([]);
                else strokes[^1].Add((line[k] - 'R', line[k + 1] - 'R'));
            }
            glyphs.Add(new Glyph(left, right - left, [.. strokes.Where(s => s.Count > 0).Select(s => s.ToArray())]));
        }
        return glyphs;
    }

    private sealed record Glyph(int Left, int Advance, (int X, int Y)[][] Strokes);
}

/// <summary>A point in figure coordinates (points, y down).</summary>
internal readonly record struct PointD(double X, double Y);
