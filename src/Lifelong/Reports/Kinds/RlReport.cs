using System.Text;
using System.Text.Json.Nodes;

namespace Lifelong.Reports.Kinds;

/// <summary>The report's section for <c>lifelong rl</c> runs: the return curve over iterations (mean ± std over seeds), the
/// final return of each level visit, and a table of C-CHAIN's average performance with the per-visit measurements.</summary>
/// <remarks>Reads result.json and metrics.jsonl as JSON (the RL types live in Lifelong.Rl, which builds on this library).</remarks>
public sealed class RlReport : IKindReport
{
    /// <inheritdoc/>
    public string Kind => "rl";

    /// <inheritdoc/>
    public void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs)
    {
        var groups = ExperimentGroup.Form(runs, Label, firstColour: 0);
        html.Append("<h2>Reinforcement learning</h2>\n");
        html.Append("<p class=\"note\">Each iteration's return is the mean over the episodes that ended in it (C-CHAIN's itr_mean_return); ")
            .Append("average performance is its mean over the whole run (C-CHAIN's Table 1). A visit's final return averages its last episodes. ")
            .Append("Seeds of one setting are averaged (mean ± sample std).</p>\n");
        html.Append("<table class=\"summary\">\n<thead><tr><th>setting</th><th>seeds</th><th>iterations</th><th>average performance</th>")
            .Append("<th>final return per visit (level)</th><th>dormant fraction, last visit</th><th>‖θ − θ₀‖, last visit</th></tr></thead>\n<tbody>\n");
        foreach (var group in groups)
        {
            int visits = group.Runs.Min(r => Visits(r).Count);
            var perVisit = Enumerable.Range(0, visits).Select(v =>
                $"{group.Stat(r => Value(Visits(r)[v]["final_return"])).Format(1)} ({Visits(group.Runs[0])[v]["level"]})");
            html.Append($"<tr><td>{KindReports.Swatch(group)}{Markup.Escape(group.Label)}</td><td>{string.Join(", ", group.Runs.Select(r => Config(r)?["seed"]?.ToJsonString()))}</td>")
                .Append(KindReports.Cell(group.Runs[0].Text("iterations")))
                .Append(KindReports.Cell(group.Stat(r => r.Number("average_performance")).Format(1)))
                .Append($"<td>{Markup.Escape(string.Join("; ", perVisit))}</td>")
                .Append(KindReports.Cell(group.Stat(r => LastProbe(r, p => Mean(p["layers"], "dormant_fraction"))).Format(3)))
                .Append(KindReports.Cell(group.Stat(r => LastProbe(r, p => Value(p["distance_from_init"]))).Format(2)))
                .Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n<div class=\"charts\">\n");
        html.Append(new LineChart
        {
            Title = "Return per iteration",
            XLabel = "iteration",
            YLabel = "mean episode return",
            Markers = false,
            Series = [.. groups.Select(g => Curve(g, m => (Value(m["iteration"]), Value(m["mean_return"])), "iteration"))],
        }.ToSvg()).Append('\n');
        html.Append(new LineChart
        {
            Title = "Final return of each level visit",
            XLabel = "visit",
            YLabel = "mean return of the last episodes",
            Series = [.. groups.Select(g => Curve(g, m => (Value(m["visit"]), Value(m["final_return"])), "level"))],
        }.ToSvg()).Append("\n</div>\n");
        foreach (var group in groups) KindReports.AppendRuns(html, group);
    }

    private static string Label(ExperimentReportRun run)
    {
        var config = Config(run);
        string agent = config?["agent"]?.GetValue<string>().Split(':')[0] ?? "agent";
        var methods = config?["methods"]?.AsArray().Select(m => m?.GetValue<string>()).OfType<string>().ToList() ?? [];
        string environment = config?["options"]?["environment"]?.GetValue<string>() ?? "";
        return $"{agent}{(methods.Count > 0 ? " + " + string.Join(" + ", methods) : "")} on {environment}";
    }

    private static JsonObject? Config(ExperimentReportRun run) => run.Result["config"] as JsonObject;

    private static IReadOnlyList<JsonObject> Visits(ExperimentReportRun run) => [.. (run.Result["levels"]?.AsArray() ?? []).OfType<JsonObject>()];

    private static double LastProbe(ExperimentReportRun run, Func<JsonObject, double> value) =>
        Visits(run) is { Count: > 0 } visits && visits[^1]["probe"] is JsonObject probe ? value(probe) : double.NaN;

    private static double Mean(JsonNode? layers, string key)
    {
        var values = (layers?.AsArray() ?? []).OfType<JsonObject>().Select(l => Value(l[key])).Where(double.IsFinite).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    private static double Value(JsonNode? node) => ExperimentReportRun.Value(node);

    /// <summary>The mean ± std over the group's runs of the points its <paramref name="type"/> lines of metrics.jsonl give.</summary>
    private static ChartSeries Curve(ExperimentGroup group, Func<JsonObject, (double X, double Y)> point, string type)
    {
        var points = group.Runs
            .SelectMany(r => r.Metrics.Where(m => m["type"]?.GetValue<string>() == type).Select(point))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))
            .GroupBy(p => p.X).OrderBy(g => g.Key)
            .Select(g => MeanStd.Of(g.Select(p => p.Y)) is var stat ? new ChartPoint(g.Key, stat.Mean, group.Runs.Count > 1 ? stat.Std : null) : default)
            .ToList();
        return new ChartSeries(group.Label, group.Colour, points);
    }
}
