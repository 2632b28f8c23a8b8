using System.Text;
using System.Text.Json.Nodes;

namespace Lifelong.Reports.Kinds;

/// <summary>The report's section for <c>lifelong transfer</c> runs: test accuracy per regime (scratch, fine-tune, linear
/// probe) at each K, over every seed of a group, as a table and a chart against K.</summary>
public sealed class TransferReport : IKindReport
{
    private static readonly string[] s_regimes = ["scratch", "fine_tune", "linear_probe"];

    /// <inheritdoc/>
    public string Kind => "transfer";

    /// <inheritdoc/>
    public void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs)
    {
        var groups = ExperimentGroup.Form(runs, r => ConfigValue(r, "model") + " → " + ConfigValue(r, "dataset"));
        html.Append("<h2>Transfer</h2>\n");
        html.Append("<p class=\"note\">Test accuracy on the target classes after training on K images per class: from scratch, fine-tuning the pretrained model, and a linear probe on it; mean ± sample std over every seed of the group.</p>\n");
        var series = new List<ChartSeries>();
        foreach (var group in groups)
        {
            var results = group.Runs.SelectMany(r => r.Result["runs"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
            var shots = results.Select(r => (int)ExperimentReportRun.Value(r["shots"])).Distinct().Order().ToList();
            MeanStd Cell(int k, string regime) => MeanStd.Of(results.Where(r => (int)ExperimentReportRun.Value(r["shots"]) == k && r["regime"]?.GetValue<string>() == regime)
                .Select(r => ExperimentReportRun.Value(r["accuracy"])));
            html.Append($"<h3>{KindReports.Swatch(group)}{Markup.Escape(group.Label)}</h3>\n<table>\n<thead><tr><th>K</th>{string.Concat(s_regimes.Select(r => $"<th>{r}</th>"))}</tr></thead>\n<tbody>\n");
            foreach (int k in shots)
                html.Append($"<tr><td class=\"num\">{k}</td>{string.Concat(s_regimes.Select(r => KindReports.Cell(Cell(k, r).Format(3))))}</tr>\n");
            html.Append("</tbody>\n</table>\n");
            for (int i = 0; i < s_regimes.Length; i++)
                series.Add(new ChartSeries($"{group.Label}: {s_regimes[i]}", Markup.Colour(series.Count),
                    [.. shots.Select(k => (k, Cell(k, s_regimes[i]))).Where(p => p.Item2.Count > 0).Select(p => new ChartPoint(p.k, p.Item2.Mean, p.Item2.Count > 1 ? p.Item2.Std : null))]));
            KindReports.AppendRuns(html, group);
        }
        html.Append("<div class=\"charts\">\n").Append(new LineChart
        {
            Title = "Transfer accuracy against K",
            XLabel = "K (training images per class)",
            YLabel = "test accuracy",
            IntegerX = false,
            IncludeZero = false,
            YBounds = (0, 1),
            Series = series,
        }.ToSvg()).Append("\n</div>\n");
    }

    private static string ConfigValue(ExperimentReportRun run, string key)
    {
        try { return run.ConfigText is null ? "" : (JsonNode.Parse(run.ConfigText)?[key] as JsonValue)?.ToString() ?? ""; }
        catch (System.Text.Json.JsonException) { return ""; }
    }
}
