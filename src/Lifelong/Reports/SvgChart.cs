using System.Globalization;
using System.Net;
using System.Text;

namespace Lifelong.Reports;

/// <summary>One line of a <see cref="SvgChart"/>: y values at x = 0, 1, ..., with an optional ± band (std over seeds).</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Values">y per x; NaN leaves a gap.</param>
/// <param name="Spread">Half-width of the shaded band per x, or null for none.</param>
/// <param name="Colour">A CSS colour.</param>
/// <param name="FirstX">The x of Values[0].</param>
public sealed record Series(string Label, IReadOnlyList<double> Values, IReadOnlyList<double>? Spread, string Colour, int FirstX = 0);

/// <summary>Self-contained SVG charts (no scripts, no external files): line charts with bands, and heatmaps.</summary>
public static class SvgChart
{
    /// <summary>Distinct colours for overlaid runs.</summary>
    public static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    private const int Width = 560, Height = 300, Left = 56, Right = 150, Top = 28, Bottom = 40;

    /// <summary>A line chart of <paramref name="series"/> against the task index, with axes, ticks and a legend.</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<Series> series, double? yMin = null, double? yMax = null)
    {
        var finite = series.SelectMany(s => s.Values.Select((v, i) => (v, spread: s.Spread?[i] ?? 0))).Where(p => double.IsFinite(p.v)).ToList();
        double low = yMin ?? (finite.Count == 0 ? 0 : finite.Min(p => p.v - p.spread));
        double high = yMax ?? (finite.Count == 0 ? 1 : finite.Max(p => p.v + p.spread));
        if (high - low < 1e-12) (low, high) = (low - 0.5, high + 0.5);
        int xCount = Math.Max(1, series.Count == 0 ? 1 : series.Max(s => s.FirstX + s.Values.Count));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(double x) => Left + (xCount == 1 ? plotW / 2 : x * plotW / (xCount - 1));
        double Y(double y) => Top + plotH - (Math.Clamp(y, low, high) - low) / (high - low) * plotH;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" class=\"chart\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" class=\"title\">{Escape(title)}</text>");
        for (int t = 0; t <= 4; t++)
        {
            double value = low + (high - low) * t / 4, y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:F1}\" x2=\"{Width - Right}\" y2=\"{y:F1}\" class=\"grid\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:F1}\" class=\"tick\" text-anchor=\"end\">{Format(value)}</text>");
        }
        int step = Math.Max(1, (int)Math.Ceiling(xCount / 10.0));
        for (int x = 0; x < xCount; x += step)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(x):F1}\" y=\"{Height - Bottom + 16}\" class=\"tick\" text-anchor=\"middle\">{x}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\" class=\"axis\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotH}\" class=\"axis\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2:F1}\" y=\"{Height - 6}\" class=\"label\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{Top + plotH / 2:F1}\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 {Top + plotH / 2:F1})\">{Escape(yLabel)}</text>");

        if (finite.Count == 0)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + plotW / 2:F1}\" y=\"{Top + plotH / 2:F1}\" class=\"label\" text-anchor=\"middle\">no data (probes off?)</text>");
        for (int s = 0; s < series.Count; s++)
        {
            var line = series[s];
            var points = line.Values.Select((v, i) => (x: line.FirstX + i, v, spread: line.Spread?[i] ?? 0)).Where(p => double.IsFinite(p.v)).ToList();
            if (points.Count == 0) continue;
            if (line.Spread is not null && points.Any(p => p.spread > 0))
            {
                var upper = points.Select(p => $"{X(p.x):F1},{Y(p.v + p.spread):F1}");
                var lower = points.AsEnumerable().Reverse().Select(p => $"{X(p.x):F1},{Y(p.v - p.spread):F1}");
                svg.Append(CultureInfo.InvariantCulture, $"<polygon class=\"band\" fill=\"{line.Colour}\" points=\"{string.Join(' ', upper.Concat(lower))}\"/>");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{line.Colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.x):F1},{Y(p.v):F1}")))}\"/>");
            if (points.Count <= 40)
                foreach (var p in points) svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.x):F1}\" cy=\"{Y(p.v):F1}\" r=\"2.5\" fill=\"{line.Colour}\"/>");
            double legendY = Top + 14 * s;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 10}\" y=\"{legendY:F1}\" width=\"12\" height=\"4\" fill=\"{line.Colour}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 26}\" y=\"{legendY + 6:F1}\" class=\"legend\">{Escape(Shorten(line.Label, 22))}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>A heatmap of <paramref name="cells"/> (rows × columns, values in [0, 1], null for a skipped entry), with values printed when small enough.</summary>
    public static string Heatmap(string title, string rowLabel, string columnLabel, IReadOnlyList<IReadOnlyList<double?>> cells)
    {
        int rows = cells.Count, columns = rows == 0 ? 0 : cells.Max(r => r.Count);
        double cell = Math.Clamp(360.0 / Math.Max(1, Math.Max(rows, columns)), 3, 40);
        int left = 50, top = 30;
        double width = left + columns * cell + 70, height = top + rows * cell + 36;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {width:F0} {height:F0}\" class=\"heatmap\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" class=\"title\">{Escape(title)}</text>");
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cells[i].Count; j++)
            {
                double x = left + j * cell, y = top + i * cell;
                if (cells[i][j] is not { } value)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{cell:F1}\" height=\"{cell:F1}\" fill=\"#eeeeee\"/>");
                    continue;
                }
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:F1}\" y=\"{y:F1}\" width=\"{cell:F1}\" height=\"{cell:F1}\" fill=\"{Colour(value)}\"><title>R[{i}][{j}] = {value:F4}</title></rect>");
                if (cell >= 26)
                    svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + cell / 2:F1}\" y=\"{y + cell / 2 + 4:F1}\" class=\"cell\" text-anchor=\"middle\" fill=\"{(value > 0.55 ? "#000" : "#fff")}\">{value * 100:F0}</text>");
            }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + columns * cell / 2:F1}\" y=\"{height - 8:F1}\" class=\"label\" text-anchor=\"middle\">{Escape(columnLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{top + rows * cell / 2:F1}\" class=\"label\" text-anchor=\"middle\" transform=\"rotate(-90 14 {top + rows * cell / 2:F1})\">{Escape(rowLabel)}</text>");
        double scaleX = left + columns * cell + 16;
        for (int k = 0; k <= 10; k++)
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{scaleX:F1}\" y=\"{top + (10 - k) * 12:F1}\" width=\"14\" height=\"12\" fill=\"{Colour(k / 10.0)}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{scaleX + 18:F1}\" y=\"{top + 8}\" class=\"tick\">1</text><text x=\"{scaleX + 18:F1}\" y=\"{top + 130}\" class=\"tick\">0</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Escapes text for HTML and SVG.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A viridis-like colour for a value in [0, 1].</summary>
    public static string Colour(double value)
    {
        (double R, double G, double B)[] stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
        double t = Math.Clamp(value, 0, 1) * (stops.Length - 1);
        int k = Math.Min((int)t, stops.Length - 2);
        double f = t - k;
        int C(double a, double b) => (int)Math.Round(a + (b - a) * f);
        return $"rgb({C(stops[k].R, stops[k + 1].R)},{C(stops[k].G, stops[k + 1].G)},{C(stops[k].B, stops[k + 1].B)})";
    }

    private static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
