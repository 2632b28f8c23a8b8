namespace Lifelong.Reports.Figures;

/// <summary>A canvas of RGB pixels at a given resolution, drawn with anti-aliased coverage (<see cref="Coverage"/>) and text
/// stroked with the Hershey simplex font (<see cref="StrokeFont"/>): a small managed rasterizer, so PNG figures need no
/// native library.</summary>
internal sealed class RasterCanvas : ICanvas
{
    private readonly float[] _pixels;   // (height, width, 3), sRGB in [0, 1]
    private readonly double _scale;     // pixels per point

    /// <summary>A white canvas of <paramref name="width"/> × <paramref name="height"/> points at <paramref name="dpi"/>.</summary>
    public RasterCanvas(double width, double height, double dpi)
    {
        _scale = dpi / 72;
        (PixelWidth, PixelHeight, Dpi) = ((int)Math.Round(width * _scale), (int)Math.Round(height * _scale), dpi);
        _pixels = new float[PixelWidth * PixelHeight * 3];
        Array.Fill(_pixels, 1f);
    }

    /// <summary>Image width in pixels.</summary>
    public int PixelWidth { get; }

    /// <summary>Image height in pixels.</summary>
    public int PixelHeight { get; }

    /// <summary>Dots per inch.</summary>
    public double Dpi { get; }

    /// <inheritdoc/>
    public void FillRect(double x, double y, double width, double height, Rgb colour) =>
        FillPolygon([new(x, y), new(x + width, y), new(x + width, y + height), new(x, y + height)], colour, 1);

    /// <inheritdoc/>
    public void FillPolygon(IReadOnlyList<PointD> points, Rgb colour, double opacity)
    {
        var pixels = points.Select(ToPixels).ToList();
        var coverage = Coverage.Around(pixels, 1, PixelWidth, PixelHeight);
        coverage.AddPolygon(pixels);
        Paint(coverage, colour, opacity);
    }

    /// <inheritdoc/>
    public void Polyline(IReadOnlyList<PointD> points, Rgb colour, double width) =>
        Stroke([points], colour, width);

    /// <inheritdoc/>
    public void Disc(double x, double y, double radius, Rgb colour)
    {
        var centre = ToPixels(new PointD(x, y));
        double r = radius * _scale;
        var coverage = Coverage.Around([centre], r + 1, PixelWidth, PixelHeight);
        coverage.AddPolygon(Circle(centre, r));
        Paint(coverage, colour, 1);
    }

    /// <inheritdoc/>
    public void Text(double x, double y, string text, double size, Rgb colour, TextAnchor anchor = TextAnchor.Start, bool vertical = false, bool bold = false)
    {
        var font = StrokeFont.Simplex;
        double shift = anchor switch { TextAnchor.Middle => font.Measure(text, size) / 2, TextAnchor.End => font.Measure(text, size), _ => 0 };
        var strokes = font.Strokes(text, vertical ? x : x - shift, vertical ? y + shift : y, size, vertical);
        Stroke(strokes, colour, size * (bold ? 0.12 : 0.075));
    }

    /// <summary>The image as 8-bit RGB bytes, row-major.</summary>
    public byte[] ToRgbBytes()
    {
        var bytes = new byte[_pixels.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Round(Math.Clamp(_pixels[i], 0f, 1f) * 255);
        return bytes;
    }

    /// <summary>The image as a PNG file's bytes.</summary>
    public byte[] ToPng() => PngEncoder.Encode(PixelWidth, PixelHeight, ToRgbBytes(), Dpi);

    /// <summary>Strokes several polylines as one shape: a quad per segment and a disc per vertex (round joins and caps).</summary>
    private void Stroke(IReadOnlyList<IReadOnlyList<PointD>> lines, Rgb colour, double width)
    {
        var pixelLines = lines.Where(l => l.Count > 0).Select(l => l.Select(ToPixels).ToList()).ToList();
        if (pixelLines.Count == 0) return;
        double half = Math.Max(width * _scale, 1) / 2;   // thinner than a pixel would only fade; keep a pixel's width
        var coverage = Coverage.Around(pixelLines.SelectMany(l => l), half + 1, PixelWidth, PixelHeight);
        foreach (var line in pixelLines)
        {
            foreach (var vertex in line) coverage.AddPolygon(Circle(vertex, half));
            for (int i = 0; i + 1 < line.Count; i++)
            {
                var (a, b) = (line[i], line[i + 1]);
                double dx = b.X - a.X, dy = b.Y - a.Y, length = Math.Sqrt(dx * dx + dy * dy);
                if (length < 1e-9) continue;
                double nx = -dy / length * half, ny = dx / length * half;
                coverage.AddPolygon([new(a.X + nx, a.Y + ny), new(b.X + nx, b.Y + ny), new(b.X - nx, b.Y - ny), new(a.X - nx, a.Y - ny)]);
            }
        }
        Paint(coverage, colour, 1);
    }

    private void Paint(Coverage coverage, Rgb colour, double opacity)
    {
        float r = colour.R / 255f, g = colour.G / 255f, b = colour.B / 255f;
        for (int y = 0; y < coverage.Height; y++)
        {
            for (int x = 0; x < coverage.Width; x++)
            {
                float alpha = coverage.Values[y * coverage.Width + x] * (float)opacity;
                if (alpha <= 0) continue;
                int i = ((coverage.Y0 + y) * PixelWidth + coverage.X0 + x) * 3;
                _pixels[i] += (r - _pixels[i]) * alpha;
                _pixels[i + 1] += (g - _pixels[i + 1]) * alpha;
                _pixels[i + 2] += (b - _pixels[i + 2]) * alpha;
            }
        }
    }

    private PointD ToPixels(PointD p) => new(p.X * _scale, p.Y * _scale);

    private static PointD[] Circle(PointD centre, double radius)
    {
        int n = Math.Clamp((int)Math.Ceiling(2 * Math.PI * radius / 1.5), 8, 64);
        var points = new PointD[n];
        for (int k = 0; k < n; k++) points[k] = new(centre.X + radius * Math.Cos(2 * Math.PI * k / n), centre.Y + radius * Math.Sin(2 * Math.PI * k / n));
        return points;
    }
}
