using System.Text;

namespace Lifelong.Reports.Kinds;

/// <summary>The report's section for <c>lifelong pretrain</c> runs: the training-loss curve and the source test accuracy per group.</summary>
public sealed class PretrainReport : IKindReport
{
    /// <inheritdoc/>
    public string Kind => "pretrain";

    /// <inheritdoc/>
    public void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs)
    {
        var groups = ExperimentGroup.Form(runs, r => $"{r.Text("model")} on {r.Text("dataset")}", firstColour: 0);
        html.Append("<h2>Pretraining</h2>\n");
        html.Append("<p class=\"note\">Supervised training of a source model (a backbone for later runs). Seeds of one setting are averaged (mean ± sample std).</p>\n");
        html.Append("<table class=\"summary\">\n<thead><tr><th>setting</th><th>seeds</th><th>steps</th><th>parameters</th><th>final loss</th><th>test accuracy</th><th>backbone</th></tr></thead>\n<tbody>\n");
        foreach (var group in groups)
            html.Append($"<tr><td>{KindReports.Swatch(group)}{Markup.Escape(group.Label)}</td><td>{string.Join(", ", group.Runs.Select(r => r.Text("seed")))}</td>")
                .Append(KindReports.Cell(group.Runs[0].Text("steps"))).Append(KindReports.Cell(group.Runs[0].Text("parameters")))
                .Append(KindReports.Cell(group.Stat(r => r.Number("final_loss")).Format(4))).Append(KindReports.Cell(group.Stat(r => r.Number("test_accuracy")).Format(4)))
                .Append($"<td><code>{Markup.Escape(group.Runs[0].Text("backbone"))}</code></td></tr>\n");
        html.Append("</tbody>\n</table>\n<div class=\"charts\">\n");
        html.Append(new LineChart
        {
            Title = "Pretraining loss",
            XLabel = "step",
            YLabel = "cross-entropy (window mean)",
            IntegerX = false,
            IncludeZero = false,
            Markers = false,
            Series = [.. groups.Select(g => g.Curve("pretrain_step", "step", "loss"))],
        }.ToSvg()).Append("\n</div>\n");
        foreach (var group in groups) KindReports.AppendRuns(html, group);
    }
}
