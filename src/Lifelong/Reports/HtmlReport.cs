using System.Text;
using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>One self-contained HTML page for one or several runs: a summary table, per group an accuracy-matrix heatmap
/// and the accuracy of each task over time, and every group overlaid for online accuracy and the probes.</summary>
/// <remarks>Runs that differ only by seed form a group (<see cref="RunGroup.Form"/>) shown as mean ± std, with a shaded band.
/// The page has no scripts, external fonts or stylesheets; it is XHTML-compatible markup (every element closed,
/// only the five XML entities), so it opens offline in any browser and parses as XML.</remarks>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 24px 32px; color: #222; max-width: 1500px; }
        h1 { margin-bottom: 4px; }
        h2 { margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        h3 { margin: 18px 0 6px; font-size: 15px; }
        p.note { color: #555; margin-top: 0; font-size: 14px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
        .charts { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: flex-start; }
        details pre { background: #f7f7f7; padding: 8px; max-height: 320px; overflow: auto; font-size: 12px; }
        code { font-size: 12px; }
        .warning { background: #fff4e5; border-left: 4px solid #f28e2b; padding: 6px 12px; font-size: 14px; }
        """;

    /// <summary>The summary columns: result.json's name and the metric.</summary>
    internal static readonly (string Header, Func<RunResult, double> Metric)[] s_metrics =
    [
        ("acc", r => r.Summary.Acc),
        ("avg_incremental_acc", r => r.Summary.AvgIncrementalAcc),
        ("bwt", r => r.Summary.Bwt),
        ("fwt", r => r.Summary.Fwt),
        ("forgetting", r => r.Summary.Forgetting),
        ("total_online_accuracy", r => r.Summary.TotalOnlineAccuracy),
    ];

    /// <summary>The report page for <paramref name="runs"/>.</summary>
    /// <param name="runs">At least one run, in the order the groups should appear.</param>
    /// <param name="title">The page heading; null for a title naming the single group, or "Lifelong report".</param>
    public static string Write(IReadOnlyList<ReportRun> runs, string? title = null)
    {
        if (runs.Count == 0) throw new ArgumentException("A report needs at least one run.", nameof(runs));
        var groups = RunGroup.Form(runs);
        title ??= groups.Count == 1 ? $"Lifelong report: {groups[0].Label}" : "Lifelong report";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append($"<title>{Markup.Escape(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        html.Append($"<h1>{Markup.Escape(title)}</h1>\n");
        html.Append($"<p class=\"note\">{runs.Count} run{Plural(runs.Count)} in {groups.Count} group{Plural(groups.Count)}. ");
        html.Append("Runs that differ only by seed form a group, shown as mean ± sample standard deviation over seeds (shaded bands). ");
        html.Append("Tasks are numbered from 1; accuracies are fractions in [0, 1]. Hover a point or cell for its value.</p>\n");
        html.Append(ProvenanceReport.WarningsHtml(runs));

        if (RunGroup.DifferingSettings(groups) is { Count: > 0 } differing)
            html.Append($"<p class=\"note\">The groups differ in: {Markup.Escape(string.Join(", ", differing))}.</p>\n");
        AppendSummary(html, groups);

        html.Append("<h2>Accuracy matrices</h2>\n");
        html.Append("<p class=\"note\">R[i][j] is the test accuracy on task j after training through task i; grey cells were not evaluated. ");
        html.Append("Below the diagonal is memory (a falling line is forgetting); the diagonal is what each task reached when learned.</p>\n");
        foreach (var group in groups)
        {
            html.Append($"<section>\n<h3>{Swatch(group)}{Markup.Escape(group.Label)}</h3>\n<div class=\"charts\">\n");
            html.Append(ReportCharts.AccuracyMatrix(group).ToSvg()).Append('\n');
            html.Append(ReportCharts.TaskAccuracyOverTime(group).ToSvg()).Append("\n</div>\n</section>\n");
        }

        html.Append("<h2>Plasticity</h2>\n");
        html.Append("<p class=\"note\">Mean accuracy on each incoming batch before the update, per task: how quickly new tasks are learned.</p>\n");
        html.Append("<div class=\"charts\">\n").Append(ReportCharts.OnlineAccuracy(groups).ToSvg()).Append("\n</div>\n");

        if (ReportCharts.TrainingLoss(groups) is { } loss)
        {
            html.Append("<h2>Training loss</h2>\n");
            html.Append("<p class=\"note\">The loss of the training step, averaged over each logging window of metrics.jsonl; x is the step of the whole run.</p>\n");
            html.Append("<div class=\"charts\">\n").Append(loss.ToSvg()).Append("\n</div>\n");
        }

        html.Append("<h2>Probes</h2>\n");
        var probes = ReportCharts.Probes(groups);
        if (probes.Count == 0)
        {
            html.Append("<p class=\"note\">No run recorded probes.</p>\n");
        }
        else
        {
            html.Append("<p class=\"note\">Measured after training on each task; layer statistics are averaged over the hidden layers.</p>\n");
            html.Append("<div class=\"charts\">\n");
            foreach (var chart in probes) html.Append(chart.ToSvg()).Append('\n');
            html.Append("</div>\n");
        }

        AppendRuns(html, groups);
        html.Append(ProvenanceReport.SectionHtml(groups));
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The report page for continual <paramref name="runs"/> and the runs of the other experiment kinds
    /// (<paramref name="experiments"/>), each kind in its own section (<see cref="Kinds.KindReports"/>).</summary>
    /// <param name="runs">Continual runs (may be empty when <paramref name="experiments"/> is not).</param>
    /// <param name="experiments">Runs of the other kinds.</param>
    /// <param name="title">The page heading; null for a default.</param>
    public static string Write(IReadOnlyList<ReportRun> runs, IReadOnlyList<Kinds.ExperimentReportRun> experiments, string? title = null)
    {
        if (experiments.Count == 0) return Write(runs, title);
        string sections = Kinds.KindReports.Sections(experiments);
        if (runs.Count > 0)
        {
            string page = Write(runs, title);
            int end = page.LastIndexOf("</body>", StringComparison.Ordinal);
            return page[..end] + sections + page[end..];
        }
        var kinds = experiments.Select(r => r.Kind).Distinct().ToList();
        title ??= $"Lifelong report: {string.Join(", ", kinds)}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append($"<title>{Markup.Escape(title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n");
        html.Append($"<h1>{Markup.Escape(title)}</h1>\n");
        html.Append($"<p class=\"note\">{experiments.Count} run{Plural(experiments.Count)} of kind {string.Join(", ", kinds)}. ");
        html.Append("Runs whose settings are equal apart from seed and output path form a group, shown as mean ± sample standard deviation over seeds.</p>\n");
        html.Append(sections);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendSummary(StringBuilder html, IReadOnlyList<RunGroup> groups)
    {
        html.Append("<h2>Summary</h2>\n<table class=\"summary\">\n<thead><tr><th>scenario</th><th>methods</th><th>seeds</th><th>T</th>");
        foreach (var (header, _) in s_metrics) html.Append($"<th>{header}</th>");
        html.Append("<th>wall seconds</th></tr></thead>\n<tbody>\n");
        foreach (var group in groups)
        {
            string methods = group.Methods.Count == 0 ? "(no method)" : string.Join(" + ", group.Methods);
            if (group.Distinction.Length > 0) methods += $" ({group.Distinction})";
            html.Append($"<tr><td>{Swatch(group)}{Markup.Escape(group.Scenario)}</td><td>{Markup.Escape(methods)}</td>");
            html.Append($"<td>{string.Join(", ", group.Seeds)}</td><td class=\"num\">{group.Tasks}</td>");
            foreach (var (_, metric) in s_metrics) html.Append($"<td class=\"num\">{group.Stat(metric).Format()}</td>");
            html.Append($"<td class=\"num\">{group.Stat(r => r.WallSeconds).Format(1)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendRuns(StringBuilder html, IReadOnlyList<RunGroup> groups)
    {
        html.Append("<h2>Runs</h2>\n");
        foreach (var group in groups)
        {
            html.Append($"<h3>{Swatch(group)}{Markup.Escape(group.Label)}</h3>\n");
            html.Append("<table>\n<thead><tr><th>directory</th><th>seed</th><th>acc</th><th>evaluation</th><th>wall seconds</th><th>config.json</th></tr></thead>\n<tbody>\n");
            foreach (var run in group.Runs)
            {
                var result = run.Result;
                string evaluation = $"every {result.Evaluation.Every}" + (result.Evaluation.TestSubset is { } n ? $", {n} test images per task" : "");
                html.Append($"<tr><td><code>{Markup.Escape(run.Directory)}</code></td><td class=\"num\">{result.Seed}</td>");
                html.Append($"<td class=\"num\">{Markup.Fixed(result.Summary.Acc)}</td><td>{Markup.Escape(evaluation)}</td>");
                html.Append($"<td class=\"num\">{Markup.Fixed(result.WallSeconds, 1)}</td><td>");
                html.Append(run.ConfigText is null
                    ? "(none)"
                    : $"<details><summary>show</summary><pre>{Markup.Escape(run.ConfigText.TrimEnd())}</pre></details>");
                html.Append("</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
    }

    private static string Swatch(RunGroup group) => $"<span class=\"swatch\" style=\"background: {group.Colour}\"></span>";

    private static string Plural(int count) => count == 1 ? "" : "s";
}
