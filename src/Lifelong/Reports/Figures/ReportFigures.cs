using System.Text;

namespace Lifelong.Reports.Figures;

/// <summary><c>lifelong report --figures DIR</c>: every chart of the report as its own SVG (real text) and PNG (300 dpi),
/// 6.5 × 4 inches, and the summary table as Markdown and LaTeX.</summary>
/// <remarks>File names start with a number in the report's order (groups in the order the runs were given: the
/// comparison's or the sweep's), so a directory listing shows them as the page does.</remarks>
public static class ReportFigures
{
    /// <summary>The PNG resolution.</summary>
    public const double Dpi = 300;

    /// <summary>Writes the figures and tables of <paramref name="runs"/> into <paramref name="directory"/> (created if missing);
    /// returns the paths written, in order.</summary>
    public static IReadOnlyList<string> Write(IReadOnlyList<ReportRun> runs, string directory)
    {
        if (runs.Count == 0) throw new ArgumentException("Figures need at least one run.", nameof(runs));
        Directory.CreateDirectory(directory);
        var groups = RunGroup.Form(runs);
        var written = new List<string>();
        int index = 0;
        void Figure(string name, Action<ICanvas> draw)
        {
            string stem = Path.Combine(directory, $"{++index:D2}-{name}");
            var svg = new SvgCanvas(ChartFigure.Width, ChartFigure.Height, ChartFigure.WidthInches);
            draw(svg);
            File.WriteAllText(stem + ".svg", svg.ToString());
            var png = new RasterCanvas(ChartFigure.Width, ChartFigure.Height, Dpi);
            draw(png);
            File.WriteAllBytes(stem + ".png", png.ToPng());
            written.Add(stem + ".svg");
            written.Add(stem + ".png");
        }

        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            string slug = groups.Count == 1 ? "" : $"-{Slug(group.Label)}";
            Figure($"accuracy-matrix{slug}", canvas => ChartFigure.Draw(ReportCharts.AccuracyMatrix(group), canvas));
            Figure($"task-accuracy{slug}", canvas => ChartFigure.Draw(ReportCharts.TaskAccuracyOverTime(group), canvas));
        }
        Figure("online-accuracy", canvas => ChartFigure.Draw(ReportCharts.OnlineAccuracy(groups), canvas));
        if (ReportCharts.TrainingLoss(groups) is { } loss) Figure("training-loss", canvas => ChartFigure.Draw(loss, canvas));
        foreach (var probe in ReportCharts.Probes(groups)) Figure(Slug(probe.Title), canvas => ChartFigure.Draw(probe, canvas));

        string markdown = Path.Combine(directory, "summary.md"), latex = Path.Combine(directory, "summary.tex");
        File.WriteAllText(markdown, SummaryTable.Markdown(groups));
        File.WriteAllText(latex, SummaryTable.Latex(groups));
        written.Add(markdown);
        written.Add(latex);
        return written;
    }

    /// <summary>A file-name fragment: lower-case letters and digits, other runs of characters as one '-', at most 60 long.</summary>
    internal static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        string result = slug.ToString().Trim('-');
        return result.Length > 60 ? result[..60].TrimEnd('-') : result;
    }
}
