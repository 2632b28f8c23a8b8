using System.Text;

namespace Lifelong.Reports;

/// <summary>One point of a line: the mean at <paramref name="X"/>, and its spread when several runs were averaged.</summary>
/// <param name="X">Position on the x axis (a task number).</param>
/// <param name="Y">The mean value.</param>
/// <param name="Std">The standard deviation over runs; null for a single run (no band is drawn).</param>
public readonly record struct ChartPoint(double X, double Y, double? Std = null);

/// <summary>One named line of a <see cref="LineChart"/>.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Colour">CSS colour of the line, its markers and its band.</param>
/// <param name="Points">The points in increasing x; non-finite y values are skipped.</param>
public sealed record ChartSeries(string Label, string Colour, IReadOnlyList<ChartPoint> Points);

/// <summary>An SVG line chart: axes with ticks and labels, a legend, one polyline per series, and a shaded
/// mean ± std band wherever a series has spread.</summary>
public sealed class LineChart
{
    private const int Left = 58, Top = 34, Bottom = 46, PlotHeight = 220, PlotWidth = 360;

    /// <summary>A series with more points than this is drawn as a line alone, without a marker (and tooltip) per point.</summary>
    internal const int MaxMarkers = 100;

    /// <summary>The heading drawn above the plot.</summary>
    public required string Title { get; init; }

    /// <summary>The x axis caption.</summary>
    public string XLabel { get; init; } = "";

    /// <summary>The y axis caption.</summary>
    public string YLabel { get; init; } = "";

    /// <summary>A fixed y range (for fractions, [0, 1]); null fits the data.</summary>
    public (double Min, double Max)? YRange { get; init; }

    /// <summary>Whether a fitted y range is stretched to include 0; when every mean is ≥ 0 the range then starts at 0.</summary>
    public bool IncludeZero { get; init; } = true;

    /// <summary>Values a fitted y range never goes past unless the data does (accuracies: [0, 1]); null for none.</summary>
    public (double Min, double Max)? YBounds { get; init; }

    /// <summary>Ticks only at whole x values (task numbers).</summary>
    public bool IntegerX { get; init; } = true;

    /// <summary>Whether points get a marker (and tooltip); off for dense curves such as the training loss.</summary>
    public bool Markers { get; init; } = true;

    /// <summary>The lines, drawn in order; bands are drawn beneath every line.</summary>
    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    /// <summary>The chart as a standalone <c>&lt;svg&gt;</c> element (XML-well-formed, all text escaped).</summary>
    public string ToSvg()
    {
        var points = Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToList();
        int legendWidth = Series.Count == 0 ? 0 : 28 + 6 * Math.Min(Series.Max(s => s.Label.Length), 48);
        int width = Left + PlotWidth + 20 + legendWidth, height = Math.Max(Top + PlotHeight + Bottom, Top + 17 * Series.Count + 8);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append($"<text x=\"{Left}\" y=\"18\" font-size=\"13\" font-weight=\"bold\">{Markup.Escape(Title)}</text>");
        if (points.Count == 0)
        {
            svg.Append($"<text x=\"{Left + PlotWidth / 2}\" y=\"{Top + PlotHeight / 2}\" text-anchor=\"middle\" fill=\"#888\">no data</text></svg>");
            return svg.ToString();
        }

        var (xMin, xMax) = (points.Min(p => p.X), points.Max(p => p.X));
        if (xMax - xMin < 1e-12) (xMin, xMax) = (xMin - 1, xMax + 1);
        double xStep = IntegerX ? Math.Max(1, Math.Ceiling((xMax - xMin) / 10)) : Markup.NiceStep((xMax - xMin) / 6);
        var (yMin, yMax, yStep) = FitY(points);
        double Sx(double x) => Left + (x - xMin) / (xMax - xMin) * PlotWidth;
        double Sy(double y) => Top + PlotHeight - (y - yMin) / (yMax - yMin) * PlotHeight;
        string N(double v) => Markup.Number(v);

        // Grid and tick labels.
        int yDecimals = Markup.DecimalsFor(yStep);
        foreach (double y in new AxisRange(yMin, yMax, yStep).Ticks())
        {
            svg.Append($"<line x1=\"{Left}\" x2=\"{Left + PlotWidth}\" y1=\"{N(Sy(y))}\" y2=\"{N(Sy(y))}\" stroke=\"#e4e4e4\"/>");
            svg.Append($"<text x=\"{Left - 6}\" y=\"{N(Sy(y) + 4)}\" text-anchor=\"end\">{Markup.Fixed(y, yDecimals)}</text>");
        }
        int xDecimals = IntegerX ? 0 : Markup.DecimalsFor(xStep);
        for (double x = IntegerX ? Math.Ceiling(xMin) : Math.Ceiling(xMin / xStep) * xStep; x <= xMax + xStep * 1e-6; x += xStep)
        {
            svg.Append($"<line x1=\"{N(Sx(x))}\" x2=\"{N(Sx(x))}\" y1=\"{Top + PlotHeight}\" y2=\"{Top + PlotHeight + 5}\" stroke=\"#444\"/>");
            svg.Append($"<text x=\"{N(Sx(x))}\" y=\"{Top + PlotHeight + 18}\" text-anchor=\"middle\">{Markup.Fixed(x, xDecimals)}</text>");
        }
        svg.Append($"<polyline points=\"{Left},{Top} {Left},{Top + PlotHeight} {Left + PlotWidth},{Top + PlotHeight}\" fill=\"none\" stroke=\"#444\"/>");
        svg.Append($"<text x=\"{Left + PlotWidth / 2}\" y=\"{Top + PlotHeight + Bottom - 8}\" text-anchor=\"middle\">{Markup.Escape(XLabel)}</text>");
        svg.Append($"<text transform=\"translate(14 {Top + PlotHeight / 2}) rotate(-90)\" text-anchor=\"middle\">{Markup.Escape(YLabel)}</text>");

        var visible = Series.Select(s => s with { Points = s.Points.Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToList() }).ToList();
        foreach (var series in visible.Where(s => s.Points.Count > 1 && s.Points.Any(p => p.Std is > 0)))
        {
            var upper = series.Points.Select(p => $"{N(Sx(p.X))},{N(Sy(Math.Min(p.Y + (p.Std ?? 0), yMax)))}");
            var lower = series.Points.AsEnumerable().Reverse().Select(p => $"{N(Sx(p.X))},{N(Sy(Math.Max(p.Y - (p.Std ?? 0), yMin)))}");
            svg.Append($"<polygon class=\"band\" points=\"{string.Join(' ', upper.Concat(lower))}\" fill=\"{series.Colour}\" fill-opacity=\"0.18\" stroke=\"none\"/>");
        }
        foreach (var series in visible)
        {
            svg.Append($"<polyline points=\"{string.Join(' ', series.Points.Select(p => $"{N(Sx(p.X))},{N(Sy(p.Y))}"))}\" fill=\"none\" stroke=\"{series.Colour}\" stroke-width=\"2\"/>");
            if (!Markers || series.Points.Count > MaxMarkers) continue;   // on a long series markers would hide the line and bloat the page
            foreach (var p in series.Points)
            {
                string value = p.Std is { } s ? $"{Markup.Fixed(p.Y)} ± {Markup.Fixed(s)}" : Markup.Fixed(p.Y);
                svg.Append($"<circle cx=\"{N(Sx(p.X))}\" cy=\"{N(Sy(p.Y))}\" r=\"3\" fill=\"{series.Colour}\"><title>{Markup.Escape($"{series.Label}, {XLabel} {Markup.Number(p.X, 3)}: {value}")}</title></circle>");
            }
        }

        // Legend, right of the plot.
        int legendX = Left + PlotWidth + 20;
        for (int i = 0; i < Series.Count; i++)
        {
            int y = Top + 6 + i * 17;
            string label = Series[i].Label.Length > 48 ? Series[i].Label[..47] + "…" : Series[i].Label;
            svg.Append($"<line x1=\"{legendX}\" x2=\"{legendX + 18}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{Series[i].Colour}\" stroke-width=\"3\"/>");
            svg.Append($"<text x=\"{legendX + 24}\" y=\"{y + 4}\">{Markup.Escape(label)}<title>{Markup.Escape(Series[i].Label)}</title></text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The y range and tick step: <see cref="YRange"/> if set, else the data (with ± std) widened to whole ticks.</summary>
    internal AxisRange FitY(IReadOnlyList<ChartPoint> points)
    {
        if (YRange is { } fixedRange && fixedRange.Max > fixedRange.Min)
            return new AxisRange(fixedRange.Min, fixedRange.Max, Markup.NiceStep((fixedRange.Max - fixedRange.Min) / AxisRange.Intervals));
        double low = points.Min(p => p.Y - (p.Std ?? 0)), high = points.Max(p => p.Y + (p.Std ?? 0));
        if (IncludeZero && points.All(p => p.Y >= 0)) low = Math.Max(low, 0);   // a non-negative quantity's band is clipped at 0, not drawn below it
        if (YBounds is { } b)
        {
            // Bands are clipped at the bounds (an accuracy's mean + std past 1 is not a value to make room for).
            if (points.All(p => p.Y >= b.Min)) low = Math.Max(low, b.Min);
            if (points.All(p => p.Y <= b.Max)) high = Math.Min(high, b.Max);
        }
        return AxisRange.Fit(low, high, IncludeZero, YBounds);
    }

    /// <summary>The finite points of every series.</summary>
    internal List<ChartPoint> FinitePoints() => Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Y) && double.IsFinite(p.X)).ToList();
}
