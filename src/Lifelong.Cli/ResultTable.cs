using System.Globalization;
using System.Text;
using Lifelong.Results;

namespace Lifelong.Cli;

/// <summary>The end-of-run summary: the accuracy matrix and the scalar metrics as plain-text tables.</summary>
public static class ResultTable
{
    /// <summary>The tables of <paramref name="result"/>; matrices wider than 12 tasks show their first and last six columns and rows.</summary>
    public static string Format(RunResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Scenario} · {string.Join(" + ", result.Methods)} · seed {result.Seed} · {result.Tasks} tasks · {result.WallSeconds:F1} s");
        text.AppendLine();
        var columns = Window(result.Tasks);
        text.Append("after task │");
        foreach (int j in columns) text.Append(j < 0 ? "   … " : $" {j,5}");
        text.AppendLine();
        text.AppendLine("───────────┼" + new string('─', 6 * columns.Count));
        foreach (int i in Window(result.AccuracyMatrix.Count))
        {
            if (i < 0) { text.AppendLine("     …     │"); continue; }
            text.Append(CultureInfo.InvariantCulture, $"{i,10} │");
            foreach (int j in columns) text.Append(j < 0 ? "   … " : Cell(result.AccuracyMatrix[i][j]));
            text.AppendLine();
        }
        text.AppendLine();
        var s = result.Summary;
        text.AppendLine("  metric                     value");
        text.AppendLine(CultureInfo.InvariantCulture, $"  ACC (final mean)           {s.Acc:F4}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  average incremental ACC    {s.AvgIncrementalAcc:F4}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  BWT                        {s.Bwt + 0.0:+0.0000;-0.0000;0.0000}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  FWT                        {s.Fwt + 0.0:+0.0000;-0.0000;0.0000}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  forgetting                 {s.Forgetting:F4}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  total online accuracy      {s.TotalOnlineAccuracy:F4}");
        return text.ToString();
    }

    /// <summary>One line per run: its label (by default its methods) and summary metrics; narrower columns when the full
    /// table (99 columns) would not fit in <paramref name="width"/>.</summary>
    public static string Comparison(IReadOnlyList<RunResult> results, IReadOnlyList<string>? labels = null, int width = int.MaxValue)
    {
        var text = new StringBuilder();
        if (results.Count > 0) text.AppendLine(CultureInfo.InvariantCulture, $"{results[0].Scenario} · seed {results[0].Seed} · {results[0].Tasks} tasks");
        if (width < 100) return text.Append(Compact(results, labels)).ToString();
        text.AppendLine("  methods                      ACC   avg inc.      BWT      FWT  forgetting  online acc   time (s)");
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var s = r.Summary;
            string label = labels?[i] ?? string.Join('+', r.Methods);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {label,-24} {s.Acc,7:F4} {s.AvgIncrementalAcc,10:F4} {s.Bwt + 0.0,8:+0.0000;-0.0000;0.0000} {s.Fwt + 0.0,8:+0.0000;-0.0000;0.0000} {s.Forgetting,11:F4} {s.TotalOnlineAccuracy,11:F4} {r.WallSeconds,10:F1}");
        }
        return text.ToString();
    }

    /// <summary>The comparison in 71 columns (with labels up to 16 characters), for an 80-column terminal.</summary>
    private static string Compact(IReadOnlyList<RunResult> results, IReadOnlyList<string>? labels)
    {
        var text = new StringBuilder();
        text.AppendLine("  methods              ACC  avg inc      BWT      FWT  forget  online  time s");
        for (int i = 0; i < results.Count; i++)
        {
            var (r, s) = (results[i], results[i].Summary);
            string label = labels?[i] ?? string.Join('+', r.Methods);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {label,-16} {s.Acc,7:F4} {s.AvgIncrementalAcc,8:F4} {s.Bwt + 0.0,8:+0.0000;-0.0000;0.0000} {s.Fwt + 0.0,8:+0.0000;-0.0000;0.0000} {s.Forgetting,7:F4} {s.TotalOnlineAccuracy,7:F4} {r.WallSeconds,7:F1}");
        }
        return text.ToString();
    }

    private static List<int> Window(int count) =>
        count <= 12 ? [.. Enumerable.Range(0, count)] : [.. Enumerable.Range(0, 6), -1, .. Enumerable.Range(count - 6, 6)];

    private static string Cell(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $" {v,5:F3}") : "     ·";
}
