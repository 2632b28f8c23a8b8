using System.Globalization;
using System.Text;

namespace Lifelong.Reports.Figures;

/// <summary>A canvas that writes a standalone SVG document of a fixed physical size, with its text as real text.</summary>
internal sealed class SvgCanvas(double width, double height, double widthInches) : ICanvas
{
    private readonly StringBuilder _body = new();

    /// <inheritdoc/>
    public void FillRect(double x, double y, double w, double h, Rgb colour) =>
        _body.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" fill=\"{colour.Hex}\"/>\n");

    /// <inheritdoc/>
    public void FillPolygon(IReadOnlyList<PointD> points, Rgb colour, double opacity) =>
        _body.Append($"<polygon points=\"{Points(points)}\" fill=\"{colour.Hex}\" fill-opacity=\"{N(opacity)}\" stroke=\"none\"/>\n");

    /// <inheritdoc/>
    public void Polyline(IReadOnlyList<PointD> points, Rgb colour, double width) =>
        _body.Append($"<polyline points=\"{Points(points)}\" fill=\"none\" stroke=\"{colour.Hex}\" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");

    /// <inheritdoc/>
    public void Disc(double x, double y, double radius, Rgb colour) =>
        _body.Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"{N(radius)}\" fill=\"{colour.Hex}\"/>\n");

    /// <inheritdoc/>
    public void Text(double x, double y, string text, double size, Rgb colour, TextAnchor anchor = TextAnchor.Start, bool vertical = false, bool bold = false)
    {
        string anchorName = anchor switch { TextAnchor.Middle => "middle", TextAnchor.End => "end", _ => "start" };
        string transform = vertical ? $" transform=\"rotate(-90 {N(x)} {N(y)})\"" : "";
        string weight = bold ? " font-weight=\"bold\"" : "";
        _body.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" fill=\"{colour.Hex}\" text-anchor=\"{anchorName}\"{weight}{transform}>{Markup.Escape(text)}</text>\n");
    }

    /// <summary>The document: the given width in inches, in a viewBox of points.</summary>
    public override string ToString()
    {
        double heightInches = widthInches * height / width;
        return $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(widthInches)}in\" height=\"{N(heightInches)}in\" " +
            $"viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"Helvetica, Arial, 'DejaVu Sans', sans-serif\">\n{_body}</svg>\n";
    }

    private static string Points(IReadOnlyList<PointD> points) => string.Join(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"));

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
