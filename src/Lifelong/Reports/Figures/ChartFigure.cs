namespace Lifelong.Reports.Figures;

/// <summary>Draws the report's charts at publication size, 6.5 × 4 inches (468 × 288 points), with 8.5–11 pt text, on any
/// <see cref="ICanvas"/>: the same drawing becomes the SVG and the PNG of a figure.</summary>
internal static class ChartFigure
{
    /// <summary>Width in points (6.5 inches, a page's text width).</summary>
    public const double Width = 468;

    /// <summary>Height in points (4 inches).</summary>
    public const double Height = 288;

    /// <summary>Width in inches.</summary>
    public const double WidthInches = Width / 72;

    private const double TitleSize = 11, LabelSize = 10, TickSize = 9, LegendSize = 8.5;
    private const int MaxLegendCharacters = 42, MaxMarkers = 30;
    private static readonly Rgb s_ink = new(0x22, 0x22, 0x22), s_grid = new(0xE3, 0xE3, 0xE3), s_axis = new(0x44, 0x44, 0x44);

    /// <summary>Draws <paramref name="chart"/>: title, grid, ticks, axis captions, mean ± std bands, lines, markers, legend.</summary>
    public static void Draw(LineChart chart, ICanvas canvas)
    {
        var font = StrokeFont.Simplex;
        canvas.Text(8, 16, chart.Title, TitleSize, s_ink, bold: true);
        var points = chart.FinitePoints();
        var labels = chart.Series.Select(s => s.Label.Length > MaxLegendCharacters ? s.Label[..(MaxLegendCharacters - 1)] + "…" : s.Label).ToList();
        double legendWidth = labels.Count == 0 ? 0 : Math.Min(labels.Max(l => font.Measure(l, LegendSize)) + 30, 200);
        double left = 58, top = 28, right = Width - 12 - legendWidth, bottom = Height - 40;
        if (points.Count == 0)
        {
            canvas.Text((left + right) / 2, (top + bottom) / 2, "no data", LabelSize, s_axis, TextAnchor.Middle);
            return;
        }

        var y = chart.FitY(points);
        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X);
        if (xMax - xMin < 1e-12) (xMin, xMax) = (xMin - 1, xMax + 1);
        double xStep = chart.IntegerX ? Math.Max(1, Math.Ceiling((xMax - xMin) / 8)) : Markup.NiceStep((xMax - xMin) / 6);
        double Sx(double v) => left + (v - xMin) / (xMax - xMin) * (right - left);
        double Sy(double v) => bottom - (v - y.Min) / (y.Max - y.Min) * (bottom - top);

        int yDecimals = Markup.DecimalsFor(y.Step);
        foreach (double tick in y.Ticks())
        {
            canvas.Polyline([new(left, Sy(tick)), new(right, Sy(tick))], s_grid, 0.5);
            canvas.Text(left - 5, Sy(tick) + TickSize * 0.36, Markup.Fixed(tick, yDecimals), TickSize, s_ink, TextAnchor.End);
        }
        int xDecimals = chart.IntegerX ? 0 : Markup.DecimalsFor(xStep);
        for (double tick = Math.Ceiling(xMin / xStep - 1e-9) * xStep; tick <= xMax + xStep * 1e-6; tick += xStep)
        {
            canvas.Polyline([new(Sx(tick), bottom), new(Sx(tick), bottom + 4)], s_axis, 0.8);
            canvas.Text(Sx(tick), bottom + 14, Markup.Fixed(tick, xDecimals), TickSize, s_ink, TextAnchor.Middle);
        }
        canvas.Polyline([new(left, top), new(left, bottom), new(right, bottom)], s_axis, 0.8);
        canvas.Text((left + right) / 2, Height - 8, chart.XLabel, LabelSize, s_ink, TextAnchor.Middle);
        canvas.Text(16, (top + bottom) / 2, chart.YLabel, LabelSize, s_ink, TextAnchor.Middle, vertical: true);

        var visible = chart.Series.Select(s => (Series: s, Colour: Rgb.Parse(s.Colour),
            Points: s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList())).ToList();
        foreach (var (_, colour, line) in visible.Where(v => v.Points.Count > 1 && v.Points.Any(p => p.Std is > 0)))
        {
            var upper = line.Select(p => new PointD(Sx(p.X), Sy(Math.Min(p.Y + (p.Std ?? 0), y.Max))));
            var lower = line.AsEnumerable().Reverse().Select(p => new PointD(Sx(p.X), Sy(Math.Max(p.Y - (p.Std ?? 0), y.Min))));
            canvas.FillPolygon([.. upper, .. lower], colour, 0.18);
        }
        foreach (var (_, colour, line) in visible)
        {
            if (line.Count > 1) canvas.Polyline([.. line.Select(p => new PointD(Sx(p.X), Sy(p.Y)))], colour, 1.6);
            if (chart.Markers && line.Count <= MaxMarkers) foreach (var p in line) canvas.Disc(Sx(p.X), Sy(p.Y), 2.2, colour);
        }

        for (int i = 0; i < labels.Count; i++)
        {
            double legendY = top + 6 + i * 13, legendX = right + 12;
            var colour = Rgb.Parse(chart.Series[i].Colour);
            canvas.Polyline([new(legendX, legendY), new(legendX + 16, legendY)], colour, 2);
            canvas.Text(legendX + 22, legendY + LegendSize * 0.36, labels[i], LegendSize, s_ink);
        }
    }

    /// <summary>Draws <paramref name="map"/>: title, captions, cells in viridis with their values where they fit, a colour bar.</summary>
    public static void Draw(Heatmap map, ICanvas canvas)
    {
        int fullRows = map.Values.Count, fullColumns = fullRows == 0 ? 0 : map.Values.Max(r => r.Count);
        int block = Math.Max(1, (int)Math.Ceiling(Math.Max(fullRows, fullColumns) / (double)Math.Max(map.MaxCells, 1)));
        var values = block == 1 ? map.Values : Heatmap.BlockMeans(map.Values, block, fullColumns);
        int rows = values.Count, columns = rows == 0 ? 0 : values.Max(r => r.Count);
        string title = block == 1 ? map.Title : $"{map.Title} (means of {block} × {block} blocks)";
        canvas.Text(8, 16, title, TitleSize, s_ink, bold: true);
        double top = 58, available = Height - top - 12;
        double cell = Math.Min(available / Math.Max(Math.Max(rows, columns), 1), 44);
        double gridWidth = cell * columns, gridHeight = cell * rows;
        double left = Math.Max(64, (Width - gridWidth - 70 + 50) / 2);   // centred with the row caption (50 pt) left and the colour bar (70 pt) right
        int labelEvery = cell >= 12 ? 1 : (int)Math.Ceiling(12 / cell);

        canvas.Text(left + gridWidth / 2, top - 20, map.ColumnTitle, LabelSize, s_ink, TextAnchor.Middle);
        canvas.Text(left - 46, top + gridHeight / 2, map.RowTitle, LabelSize, s_ink, TextAnchor.Middle, vertical: true);
        for (int j = 0; j < columns; j += labelEvery)
            canvas.Text(left + (j + 0.5) * cell, top - 5, (j * block + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), TickSize, s_ink, TextAnchor.Middle);
        for (int i = 0; i < rows; i += labelEvery)
            canvas.Text(left - 5, top + (i + 0.5) * cell + TickSize * 0.36, (i * block + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), TickSize, s_ink, TextAnchor.End);

        double valueSize = Math.Min(9, cell / 3.2);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < values[i].Count; j++)
            {
                double? value = values[i][j] is { } v && double.IsFinite(v) ? v : null;
                double t = value is { } x ? (x - map.Min) / (map.Max - map.Min) : 0;
                canvas.FillRect(left + j * cell, top + i * cell, cell, cell, value is null ? new Rgb(0xEE, 0xEE, 0xEE) : Rgb.Parse(Markup.Viridis(t)));
                if (value is { } shown && cell >= 20)
                    canvas.Text(left + (j + 0.5) * cell, top + (i + 0.5) * cell + valueSize * 0.36, Markup.Fixed(shown, 2), valueSize,
                        t > 0.6 ? new Rgb(0, 0, 0) : new Rgb(0xFF, 0xFF, 0xFF), TextAnchor.Middle);
            }
        }
        // Thin white lines between cells, as in the HTML page.
        for (int k = 1; k < Math.Max(rows, columns) && cell >= 6; k++)
        {
            if (k < columns) canvas.Polyline([new(left + k * cell, top), new(left + k * cell, top + gridHeight)], new Rgb(0xFF, 0xFF, 0xFF), 0.5);
            if (k < rows) canvas.Polyline([new(left, top + k * cell), new(left + gridWidth, top + k * cell)], new Rgb(0xFF, 0xFF, 0xFF), 0.5);
        }
        canvas.Polyline([new(left, top), new(left + gridWidth, top), new(left + gridWidth, top + gridHeight), new(left, top + gridHeight), new(left, top)], s_axis, 0.8);

        double barX = left + gridWidth + 18, barHeight = Math.Max(gridHeight, 90);
        const int slices = 48;
        for (int k = 0; k < slices; k++)
            canvas.FillRect(barX, top + k * barHeight / slices, 12, barHeight / slices + 0.3, Rgb.Parse(Markup.Viridis(1 - (k + 0.5) / slices)));
        canvas.Polyline([new(barX, top), new(barX + 12, top), new(barX + 12, top + barHeight), new(barX, top + barHeight), new(barX, top)], s_axis, 0.8);
        foreach (double t in (double[])[0, 0.5, 1])
        {
            double ty = top + (1 - t) * barHeight;
            canvas.Polyline([new(barX + 12, ty), new(barX + 16, ty)], s_axis, 0.8);
            canvas.Text(barX + 19, ty + TickSize * 0.36, Markup.Fixed(map.Min + t * (map.Max - map.Min), 2), TickSize, s_ink);
        }
    }
}
