using System.Text;

namespace Lifelong.Reports.Kinds;

/// <summary>The report's section for <c>lifelong meta few-shot</c> runs: the meta-test accuracy over meta-iterations (the
/// <c>meta_eval</c> points, then the final score), the meta-training loss, and the final few-shot accuracy ± CI per group.</summary>
public sealed class MetaReport : IKindReport
{
    /// <inheritdoc/>
    public string Kind => "meta";

    /// <inheritdoc/>
    public void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs)
    {
        var groups = ExperimentGroup.Form(runs, r => $"{r.Text("method")} {r.Text("ways")}-way {r.Text("shots")}-shot");
        html.Append("<h2>Few-shot meta-learning</h2>\n");
        html.Append("<p class=\"note\">Query accuracy on N-way K-shot episodes of classes never seen in meta-training, after adapting on each support set. ");
        html.Append("Seeds of one setting are averaged (mean ± sample std over seeds); the 95 % CI is each run's 1.96 · std / √episodes, averaged over seeds.</p>\n");
        html.Append("<table class=\"summary\">\n<thead><tr><th>setting</th><th>seeds</th><th>iterations</th><th>few-shot accuracy</th><th>95 % CI (±)</th><th>episodes</th><th>final meta-loss</th></tr></thead>\n<tbody>\n");
        foreach (var group in groups)
            html.Append($"<tr><td>{KindReports.Swatch(group)}{Markup.Escape(group.Label)}</td><td>{string.Join(", ", group.Runs.Select(r => r.Text("seed")))}</td>")
                .Append(KindReports.Cell(group.Runs[0].Text("iterations"))).Append(KindReports.Cell(group.Stat(r => r.Number("accuracy")).Format(4)))
                .Append(KindReports.Cell(Markup.Fixed(group.Stat(r => r.Number("interval95")).Mean, 4))).Append(KindReports.Cell(group.Runs[0].Text("episodes")))
                .Append(KindReports.Cell(group.Stat(r => r.Number("final_loss")).Format(4))).Append("</tr>\n");
        html.Append("</tbody>\n</table>\n<div class=\"charts\">\n");
        var accuracy = groups.Select(g =>
        {
            var during = g.Curve("meta_eval", "iteration", "accuracy");
            var final = g.Curve("meta_test", "iteration", "accuracy");
            return during with { Points = [.. during.Points.Where(p => !final.Points.Any(f => f.X == p.X)), .. final.Points] };
        }).ToList();
        html.Append(new LineChart
        {
            Title = "Few-shot accuracy over meta-iterations",
            XLabel = "meta-iteration",
            YLabel = "meta-test query accuracy",
            IntegerX = false,
            IncludeZero = false,
            YBounds = (0, 1),
            Series = accuracy,
        }.ToSvg()).Append('\n');
        var loss = groups.Select(g => g.Curve("meta_iteration", "iteration", "loss")).Where(s => s.Points.Count > 0).ToList();
        if (loss.Count > 0)
            html.Append(new LineChart { Title = "Meta-training loss", XLabel = "meta-iteration", YLabel = "query loss (window mean)", IntegerX = false, IncludeZero = false, Markers = false, Series = loss }.ToSvg()).Append('\n');
        var episodes = groups.Select(g => g.Curve("meta_iteration", "iteration", "accuracy")).Where(s => s.Points.Count > 0).ToList();
        if (episodes.Count > 0)
            html.Append(new LineChart { Title = "Query accuracy of the training episodes", XLabel = "meta-iteration", YLabel = "accuracy (window mean)", IntegerX = false, IncludeZero = false, YBounds = (0, 1), Markers = false, Series = episodes }.ToSvg()).Append('\n');
        html.Append("</div>\n");
        foreach (var group in groups) KindReports.AppendRuns(html, group);
    }
}
