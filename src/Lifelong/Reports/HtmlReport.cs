using System.Globalization;
using System.Text;
using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>A self-contained HTML page (inline CSS and SVG, no scripts, no external files) comparing one or more runs:
/// summary table, accuracy matrices, accuracy on each task over time, online accuracy per task, probe curves.</summary>
/// <remarks>Runs that differ only by seed form a group shown as mean ± std (a shaded band); groups are overlaid in
/// distinct colours.</remarks>
public static class HtmlReport
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222;max-width:1300px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}
        th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.chart,.heatmap{background:#fff;border:1px solid #eee}
        .title{font-size:13px;font-weight:600}.tick{font-size:10px;fill:#555}.label{font-size:11px;fill:#333}.legend{font-size:11px}
        .grid{stroke:#eee}.axis{stroke:#888}.band{opacity:.18}.cell{font-size:10px}
        details{margin:6px 0}pre{background:#f7f7f7;padding:8px;font-size:12px;overflow:auto}
        """;

    /// <summary>The page for <paramref name="runs"/>.</summary>
    public static string Render(IReadOnlyList<ReportRun> runs, string title = "Lifelong report")
    {
        if (runs.Count == 0) throw new ArgumentException("A report needs at least one run.", nameof(runs));
        var groups = RunGroup.Of(runs);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>").Append(SvgChart.Escape(title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>").Append(SvgChart.Escape(title)).Append("</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>{runs.Count} run(s) in {groups.Count} group(s); runs that differ only by seed are shown as mean ± std.</p>\n");
        Summary(html, groups);

        html.Append("<h2>Accuracy matrices</h2>\n<p>R[i][j]: accuracy on task j (columns) after training through task i (rows), in %, mean over seeds; grey: not evaluated.</p>\n<div class=\"charts\">");
        foreach (var group in groups) html.Append(SvgChart.Heatmap(group.Label, "after task", "task", MeanMatrix(group)));
        html.Append("</div>\n");

        html.Append("<h2>Accuracy on each task over time</h2>\n<div class=\"charts\">");
        foreach (var group in groups) html.Append(TaskCurves(group));
        html.Append("</div>\n");

        html.Append("<h2>Plasticity</h2>\n<div class=\"charts\">");
        html.Append(Overlay(groups, "Online accuracy per task (pre-update)", "online accuracy", r => r.OnlineAccuracy, 0, 1));
        html.Append(Overlay(groups, "Accuracy just after training each task", "accuracy", r => Diagonal(r), 0, 1));
        html.Append("</div>\n");

        html.Append("<h2>Probes</h2>\n<div class=\"charts\">");
        html.Append(Overlay(groups, "Dead units (mean over layers)", "fraction", r => Probe(r, l => l.DeadFraction), 0, 1));
        html.Append(Overlay(groups, "Dormant units, τ-ReDo (mean over layers)", "fraction", r => Probe(r, l => l.DormantFraction), 0, 1));
        html.Append(Overlay(groups, "srank (mean over layers)", "srank", r => Probe(r, l => l.Srank)));
        html.Append(Overlay(groups, "Effective rank (mean over layers)", "effective rank", r => Probe(r, l => l.EffectiveRank)));
        html.Append(Overlay(groups, "Weight magnitude, mean |θ|", "mean |θ|", r => [.. r.Probes.Select(p => p.WeightMagnitude)]));
        html.Append(Overlay(groups, "Distance from init, ‖θ − θ₀‖", "‖θ − θ₀‖", r => [.. r.Probes.Select(p => p.DistanceFromInit)]));
        html.Append("</div>\n");

        html.Append("<h2>Runs</h2>\n");
        foreach (var run in runs)
        {
            html.Append("<details><summary>").Append(SvgChart.Escape(run.Directory)).Append(CultureInfo.InvariantCulture, $" — seed {run.Result.Seed}, {run.Result.WallSeconds:F1} s</summary>");
            if (run.Config is not null) html.Append("<pre>").Append(SvgChart.Escape(run.Config)).Append("</pre>");
            html.Append("</details>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    private static void Summary(StringBuilder html, List<RunGroup> groups)
    {
        html.Append("<h2>Summary</h2>\n<table><tr><th>methods</th><th>scenario</th><th>seeds</th><th>ACC</th><th>avg incremental ACC</th><th>BWT</th><th>FWT</th><th>forgetting</th><th>total online acc</th></tr>\n");
        foreach (var group in groups)
        {
            html.Append("<tr><td>").Append(SvgChart.Escape(group.Label)).Append("</td><td>").Append(SvgChart.Escape(group.Runs[0].Result.Scenario)).Append("</td><td>")
                .Append(string.Join(", ", group.Runs.Select(r => r.Result.Seed))).Append("</td>");
            foreach (var metric in new Func<RunResult, double>[] { r => r.Summary.Acc, r => r.Summary.AvgIncrementalAcc, r => r.Summary.Bwt, r => r.Summary.Fwt, r => r.Summary.Forgetting, r => r.Summary.TotalOnlineAccuracy })
            {
                var (mean, std) = group.Stat(metric);
                html.Append("<td>").Append(mean.ToString("F4", CultureInfo.InvariantCulture));
                if (group.Runs.Count > 1) html.Append(" ± ").Append(std.ToString("F4", CultureInfo.InvariantCulture));
                html.Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static List<IReadOnlyList<double?>> MeanMatrix(RunGroup group)
    {
        int tasks = group.Runs.Min(r => r.Result.AccuracyMatrix.Count);
        var matrix = new List<IReadOnlyList<double?>>();
        for (int i = 0; i < tasks; i++)
        {
            var row = new double?[tasks];
            for (int j = 0; j < tasks; j++)
            {
                var values = group.Runs.Select(r => r.Result.AccuracyMatrix[i].Count > j ? r.Result.AccuracyMatrix[i][j] : null).Where(v => v.HasValue).ToList();
                row[j] = values.Count == 0 ? null : values.Average();
            }
            matrix.Add(row);
        }
        return matrix;
    }

    private static string TaskCurves(RunGroup group)
    {
        var matrix = MeanMatrix(group);
        int tasks = matrix.Count;
        var shown = tasks <= 10 ? Enumerable.Range(0, tasks) : Enumerable.Range(0, 10).Select(k => k * (tasks - 1) / 9).Distinct();
        var series = shown.Select((j, k) => new Series($"task {j}", [.. Enumerable.Range(j, tasks - j).Select(i => matrix[i][j] ?? double.NaN)], null, SvgChart.Palette[k % SvgChart.Palette.Length], j)).ToList();
        return SvgChart.Lines($"{group.Label}: accuracy on task j after each task", "after task", "accuracy", series, 0, 1);
    }

    private static string Overlay(List<RunGroup> groups, string title, string yLabel, Func<RunResult, IReadOnlyList<double>> values, double? yMin = null, double? yMax = null)
    {
        var series = groups.Select((g, k) =>
        {
            var (mean, std) = g.Series(values);
            return new Series(g.Label, mean, g.Runs.Count > 1 ? std : null, SvgChart.Palette[k % SvgChart.Palette.Length]);
        }).ToList();
        return SvgChart.Lines(title, "task", yLabel, series, yMin, yMax);
    }

    private static double[] Diagonal(RunResult result) => [.. result.AccuracyMatrix.Select((row, i) => row[i] ?? double.NaN)];

    private static double[] Probe(RunResult result, Func<LayerProbe, double> value) =>
        [.. result.Probes.Select(p => p.Layers.Count == 0 ? double.NaN : p.Layers.Average(value))];
}
