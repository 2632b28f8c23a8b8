using System.Text;

namespace Lifelong.Reports;

/// <summary>An SVG heatmap of a matrix with nullable cells: viridis colours over [<see cref="Min"/>, <see cref="Max"/>],
/// the value printed in each cell that is large enough, a colour bar, and row and column captions.</summary>
/// <remarks>A matrix larger than <see cref="MaxCells"/> a side (a 500-task stream) is drawn as the means of square blocks
/// of cells, so the page stays a few hundred kilobytes instead of a quarter of a million rectangles per run.</remarks>
public sealed class Heatmap
{
    private const int Left = 64, Top = 52, PlotSize = 360;

    /// <summary>The heading drawn above the grid.</summary>
    public required string Title { get; init; }

    /// <summary>The cells, row-major; null cells are drawn grey and empty.</summary>
    public required IReadOnlyList<IReadOnlyList<double?>> Values { get; init; }

    /// <summary>Per-cell standard deviation, shown in the cell's tooltip; null when there is none.</summary>
    public IReadOnlyList<IReadOnlyList<double?>>? Std { get; init; }

    /// <summary>The caption of the rows (left).</summary>
    public string RowTitle { get; init; } = "";

    /// <summary>The caption of the columns (top).</summary>
    public string ColumnTitle { get; init; } = "";

    /// <summary>The value drawn darkest.</summary>
    public double Min { get; init; }

    /// <summary>The value drawn brightest.</summary>
    public double Max { get; init; } = 1;

    /// <summary>The most cells drawn along a side; a larger matrix is drawn as block means.</summary>
    public int MaxCells { get; init; } = 25;

    /// <summary>The heatmap as a standalone <c>&lt;svg&gt;</c> element of class <c>heatmap</c>.</summary>
    public string ToSvg()
    {
        int fullRows = Values.Count, fullColumns = fullRows == 0 ? 0 : Values.Max(r => r.Count);
        int block = Math.Max(1, (int)Math.Ceiling(Math.Max(fullRows, fullColumns) / (double)Math.Max(MaxCells, 1)));
        var values = block == 1 ? Values : BlockMeans(Values, block, fullColumns);
        var stds = block == 1 ? Std : null;   // a block's spread over seeds is not the mean of its cells' spreads
        int rows = values.Count, columns = rows == 0 ? 0 : values.Max(r => r.Count);
        int cell = Math.Clamp(PlotSize / Math.Max(Math.Max(rows, columns), 1), 6, 56);
        int gridWidth = cell * columns, gridHeight = cell * rows;
        int barX = Left + gridWidth + 18, width = barX + 64, height = Math.Max(Top + gridHeight + 16, 140);
        int labelEvery = cell >= 16 ? 1 : (int)Math.Ceiling(16.0 / cell);
        string title = block == 1 ? Title : $"{Title} (means of {block} × {block} blocks)";
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append($"<text x=\"4\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Markup.Escape(title)}</text>");
        svg.Append($"<text x=\"{Left + gridWidth / 2}\" y=\"{Top - 22}\" text-anchor=\"middle\">{Markup.Escape(ColumnTitle)}</text>");
        svg.Append($"<text transform=\"translate(16 {Top + gridHeight / 2}) rotate(-90)\" text-anchor=\"middle\">{Markup.Escape(RowTitle)}</text>");
        for (int j = 0; j < columns; j += labelEvery)
            svg.Append($"<text x=\"{Left + j * cell + cell / 2}\" y=\"{Top - 6}\" text-anchor=\"middle\">{j * block + 1}</text>");
        for (int i = 0; i < rows; i += labelEvery)
            svg.Append($"<text x=\"{Left - 6}\" y=\"{Top + i * cell + cell / 2 + 4}\" text-anchor=\"end\">{i * block + 1}</text>");

        int fontSize = Math.Min(12, cell / 3);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < values[i].Count; j++)
            {
                double? value = values[i][j] is { } v && double.IsFinite(v) ? v : null;
                double t = value is { } x ? (x - Min) / (Max - Min) : 0;
                string fill = value is null ? "#eeeeee" : Markup.Viridis(t);
                double? std = stds is not null && i < stds.Count && j < stds[i].Count ? stds[i][j] : null;
                string tip = value is null ? "not evaluated"
                    : std is { } s && s > 0 ? $"{Markup.Fixed(value.Value)} ± {Markup.Fixed(s)}" : Markup.Fixed(value.Value);
                svg.Append($"<rect x=\"{Left + j * cell}\" y=\"{Top + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"0.5\">");
                svg.Append($"<title>{Markup.Escape($"{Span("row", i, block, fullRows)}, {Span("column", j, block, fullColumns)}: {tip}")}</title></rect>");
                if (value is { } shown && cell >= 24)
                {
                    string ink = t > 0.6 ? "#000" : "#fff";
                    svg.Append($"<text x=\"{Left + j * cell + cell / 2}\" y=\"{Top + i * cell + cell / 2 + fontSize / 3}\" text-anchor=\"middle\" font-size=\"{fontSize}\" fill=\"{ink}\" pointer-events=\"none\">{Markup.Fixed(shown, 2)}</text>");
                }
            }
        }
        svg.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{gridWidth}\" height=\"{gridHeight}\" fill=\"none\" stroke=\"#444\"/>");
        AppendColourBar(svg, barX, Top, Math.Max(gridHeight, 90));
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Each block × block square of cells replaced by the mean of its finite cells (null when it has none).</summary>
    internal static IReadOnlyList<IReadOnlyList<double?>> BlockMeans(IReadOnlyList<IReadOnlyList<double?>> values, int block, int columns)
    {
        int blockRows = (values.Count + block - 1) / block, blockColumns = (columns + block - 1) / block;
        var means = new List<IReadOnlyList<double?>>(blockRows);
        for (int bi = 0; bi < blockRows; bi++)
        {
            var row = new double?[blockColumns];
            for (int bj = 0; bj < blockColumns; bj++)
            {
                double sum = 0;
                int count = 0;
                for (int i = bi * block; i < Math.Min(values.Count, (bi + 1) * block); i++)
                    for (int j = bj * block; j < Math.Min(values[i].Count, (bj + 1) * block); j++)
                        if (values[i][j] is { } v && double.IsFinite(v)) (sum, count) = (sum + v, count + 1);
                row[bj] = count > 0 ? sum / count : null;
            }
            means.Add(row);
        }
        return means;
    }

    private static string Span(string axis, int index, int block, int count) =>
        block == 1 ? $"{axis} {index + 1}" : $"{axis}s {index * block + 1}–{Math.Min(count, (index + 1) * block)}";

    /// <summary>A vertical bar of stacked rectangles (no gradient ids, so many heatmaps can share a page), Max at the top.</summary>
    private void AppendColourBar(StringBuilder svg, int x, int y, int height)
    {
        const int steps = 32;
        double slice = height / (double)steps;
        for (int k = 0; k < steps; k++)
        {
            double t = 1 - (k + 0.5) / steps;
            svg.Append($"<rect x=\"{x}\" y=\"{Markup.Number(y + k * slice, 2)}\" width=\"14\" height=\"{Markup.Number(slice + 0.5, 2)}\" fill=\"{Markup.Viridis(t)}\"/>");
        }
        svg.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"{height}\" fill=\"none\" stroke=\"#444\"/>");
        foreach (double t in (double[])[0, 0.5, 1])
        {
            double ty = y + (1 - t) * height;
            svg.Append($"<line x1=\"{x + 14}\" x2=\"{x + 18}\" y1=\"{Markup.Number(ty)}\" y2=\"{Markup.Number(ty)}\" stroke=\"#444\"/>");
            svg.Append($"<text x=\"{x + 21}\" y=\"{Markup.Number(ty + 4)}\">{Markup.Fixed(Min + t * (Max - Min), 2)}</text>");
        }
    }
}
