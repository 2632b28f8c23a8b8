using System.Text;

namespace Lifelong.Reports;

/// <summary>An SVG heatmap of a matrix with nullable cells: viridis colours over [<see cref="Min"/>, <see cref="Max"/>],
/// the value printed in each cell that is large enough, a colour bar, and row and column captions.</summary>
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

    /// <summary>The heatmap as a standalone <c>&lt;svg&gt;</c> element of class <c>heatmap</c>.</summary>
    public string ToSvg()
    {
        int rows = Values.Count, columns = rows == 0 ? 0 : Values.Max(r => r.Count);
        int cell = Math.Clamp(PlotSize / Math.Max(Math.Max(rows, columns), 1), 6, 56);
        int gridWidth = cell * columns, gridHeight = cell * rows;
        int barX = Left + gridWidth + 18, width = barX + 64, height = Math.Max(Top + gridHeight + 16, 140);
        int labelEvery = cell >= 16 ? 1 : (int)Math.Ceiling(16.0 / cell);
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append($"<text x=\"4\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Markup.Escape(Title)}</text>");
        svg.Append($"<text x=\"{Left + gridWidth / 2}\" y=\"{Top - 22}\" text-anchor=\"middle\">{Markup.Escape(ColumnTitle)}</text>");
        svg.Append($"<text transform=\"translate(16 {Top + gridHeight / 2}) rotate(-90)\" text-anchor=\"middle\">{Markup.Escape(RowTitle)}</text>");
        for (int j = 0; j < columns; j += labelEvery)
            svg.Append($"<text x=\"{Left + j * cell + cell / 2}\" y=\"{Top - 6}\" text-anchor=\"middle\">{j + 1}</text>");
        for (int i = 0; i < rows; i += labelEvery)
            svg.Append($"<text x=\"{Left - 6}\" y=\"{Top + i * cell + cell / 2 + 4}\" text-anchor=\"end\">{i + 1}</text>");

        int fontSize = Math.Min(12, cell / 3);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < Values[i].Count; j++)
            {
                double? value = Values[i][j] is { } v && double.IsFinite(v) ? v : null;
                double t = value is { } x ? (x - Min) / (Max - Min) : 0;
                string fill = value is null ? "#eeeeee" : Markup.Viridis(t);
                double? std = Std is not null && i < Std.Count && j < Std[i].Count ? Std[i][j] : null;
                string tip = value is null ? "not evaluated"
                    : std is { } s && s > 0 ? $"{Markup.Fixed(value.Value)} ± {Markup.Fixed(s)}" : Markup.Fixed(value.Value);
                svg.Append($"<rect x=\"{Left + j * cell}\" y=\"{Top + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"0.5\">");
                svg.Append($"<title>{Markup.Escape($"row {i + 1}, column {j + 1}: {tip}")}</title></rect>");
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
