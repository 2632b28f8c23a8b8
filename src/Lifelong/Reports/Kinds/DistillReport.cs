using System.Text;
using System.Text.Json.Nodes;

namespace Lifelong.Reports.Kinds;

/// <summary>The report's section for <c>lifelong distill</c> runs: the teacher, the student alone and the distilled
/// student's test accuracy over every seed of a group, and the training loss of each phase.</summary>
public sealed class DistillReport : IKindReport
{
    private static readonly (string Key, string Name)[] s_columns = [("teacher", "teacher"), ("student_alone", "student alone"), ("student_distilled", "student distilled")];

    /// <inheritdoc/>
    public string Kind => "distill";

    /// <inheritdoc/>
    public void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs)
    {
        var groups = ExperimentGroup.Form(runs, Label);
        html.Append("<h2>Knowledge distillation</h2>\n");
        html.Append("<p class=\"note\">Test accuracy of the teacher, of the student trained on the labels alone, and of the same student trained with the teacher's soft targets (same init, data order and budget); mean ± sample std over every seed of the group.</p>\n");
        html.Append("<table class=\"summary\">\n<thead><tr><th>setting</th><th>seeds</th>");
        foreach (var (_, name) in s_columns) html.Append($"<th>{name}</th>");
        html.Append("<th>distilled − alone</th></tr></thead>\n<tbody>\n");
        foreach (var group in groups)
        {
            var seeds = group.Runs.SelectMany(r => r.Result["runs"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
            MeanStd Stat(Func<JsonObject, double> value) => MeanStd.Of(seeds.Select(value));
            html.Append($"<tr><td>{KindReports.Swatch(group)}{Markup.Escape(group.Label)}</td><td>{string.Join(", ", seeds.Select(s => s["seed"]?.ToString()))}</td>");
            foreach (var (key, _) in s_columns) html.Append(KindReports.Cell(Stat(s => ExperimentReportRun.Value(s[key])).Format(4)));
            html.Append(KindReports.Cell(Stat(s => ExperimentReportRun.Value(s["student_distilled"]) - ExperimentReportRun.Value(s["student_alone"])).Format(4))).Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n<div class=\"charts\">\n");
        foreach (var group in groups)
        {
            var phases = new[] { "teacher", "student_alone", "student_distilled" }.Select((phase, i) => new ChartSeries(phase, Markup.Colour(i),
                [.. group.Runs.SelectMany(r => r.Metrics).Where(m => m["event"]?.GetValue<string>() == "distill_step" && m["phase"]?.GetValue<string>() == phase)
                    .GroupBy(m => ExperimentReportRun.Value(m["step"])).OrderBy(g => g.Key)
                    .Select(g => MeanStd.Of(g.Select(m => ExperimentReportRun.Value(m["loss"]))) is var s ? new ChartPoint(g.Key, s.Mean, s.Count > 1 ? s.Std : null) : default)])).ToList();
            html.Append(new LineChart { Title = $"Training loss: {group.Label}", XLabel = "step of the phase", YLabel = "loss (window mean, over seeds)", IntegerX = false, IncludeZero = false, Markers = false, Series = phases }.ToSvg()).Append('\n');
        }
        html.Append("</div>\n");
        foreach (var group in groups) KindReports.AppendRuns(html, group);
    }

    private static string Label(ExperimentReportRun run)
    {
        var first = run.Result["runs"]?.AsArray().OfType<JsonObject>().FirstOrDefault();
        return $"teacher {first?["teacher_parameters"]} → student {first?["student_parameters"]} parameters";
    }
}
