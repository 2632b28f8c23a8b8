using System.Globalization;

namespace Lifelong.Reports.Figures;

/// <summary>Where text starts relative to its anchor point.</summary>
internal enum TextAnchor { Start, Middle, End }

/// <summary>An sRGB colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>The colour of a CSS hex string (<c>#4e79a7</c>).</summary>
    public static Rgb Parse(string hex) => new(
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    /// <summary>The CSS hex string.</summary>
    public string Hex => $"#{R:x2}{G:x2}{B:x2}";
}

/// <summary>The few drawing operations a figure needs, in points (1/72 inch) with y down; <see cref="SvgCanvas"/> turns
/// them into SVG elements and <see cref="RasterCanvas"/> into anti-aliased pixels, so both files show the same figure.</summary>
internal interface ICanvas
{
    /// <summary>A filled axis-aligned rectangle.</summary>
    void FillRect(double x, double y, double width, double height, Rgb colour);

    /// <summary>A filled polygon (non-zero winding), <paramref name="opacity"/> in [0, 1].</summary>
    void FillPolygon(IReadOnlyList<PointD> points, Rgb colour, double opacity);

    /// <summary>A polyline of <paramref name="width"/> points with round joins and caps.</summary>
    void Polyline(IReadOnlyList<PointD> points, Rgb colour, double width);

    /// <summary>A filled disc.</summary>
    void Disc(double x, double y, double radius, Rgb colour);

    /// <summary>Text with its baseline through (<paramref name="x"/>, <paramref name="y"/>); read bottom to top when <paramref name="vertical"/>.</summary>
    void Text(double x, double y, string text, double size, Rgb colour, TextAnchor anchor = TextAnchor.Start, bool vertical = false, bool bold = false);
}
