using System.Text.Json.Nodes;
using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>A run loaded for a report: its directory, result and (if present) config text.</summary>
/// <param name="Directory">The run directory.</param>
/// <param name="Result">Its <c>result.json</c>.</param>
/// <param name="Config">Its <c>config.json</c> text, or null.</param>
public sealed record ReportRun(string Directory, RunResult Result, string? Config);

/// <summary>Runs that differ only by seed: shown as one line with mean ± std.</summary>
/// <param name="Label">The group's name in legends (its methods, plus what else sets it apart).</param>
/// <param name="Runs">The runs, one per seed.</param>
public sealed record RunGroup(string Label, IReadOnlyList<ReportRun> Runs)
{
    /// <summary>Groups <paramref name="runs"/> by their config with the seed and output directory removed (by scenario,
    /// methods and task count when a run has no config), in the order first seen.</summary>
    public static List<RunGroup> Of(IReadOnlyList<ReportRun> runs)
    {
        var keys = runs.Select(Key).ToList();
        var groups = new List<RunGroup>();
        foreach (string key in keys.Distinct())
        {
            var members = runs.Where((_, i) => keys[i] == key).ToList();
            groups.Add(new RunGroup(string.Join(" + ", members[0].Result.Methods), members));
        }
        // Groups with the same methods (different scenario options, models, ...) get their scenario added to the label.
        foreach (var clash in groups.GroupBy(g => g.Label).Where(g => g.Count() > 1).SelectMany(g => g).ToList())
        {
            int index = groups.IndexOf(clash);
            groups[index] = clash with { Label = $"{clash.Label} · {DistinctPart(clash, groups)}" };
        }
        return groups;
    }

    /// <summary>Mean and sample standard deviation over the group's runs of <paramref name="value"/> (NaN entries skipped).</summary>
    public (double Mean, double Std) Stat(Func<RunResult, double> value)
    {
        var values = Runs.Select(r => value(r.Result)).Where(double.IsFinite).ToList();
        if (values.Count == 0) return (double.NaN, double.NaN);
        double mean = values.Average();
        double std = values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return (mean, std);
    }

    /// <summary>Element-wise mean and std over runs of a per-task series (runs of different lengths: up to the shortest).</summary>
    public (double[] Mean, double[] Std) Series(Func<RunResult, IReadOnlyList<double>> series)
    {
        int length = Runs.Min(r => series(r.Result).Count);
        var mean = new double[length];
        var std = new double[length];
        for (int i = 0; i < length; i++)
        {
            int index = i;
            (mean[i], std[i]) = Stat(r => series(r)[index]);
        }
        return (mean, std);
    }

    private static string Key(ReportRun run)
    {
        if (run.Config is not null)
            try
            {
                if (JsonNode.Parse(run.Config) is JsonObject config)
                {
                    config.Remove("seed");
                    config.Remove("out");
                    return config.ToJsonString();
                }
            }
            catch (System.Text.Json.JsonException) { }
        return $"{run.Result.Scenario}|{string.Join('+', run.Result.Methods)}|{run.Result.Tasks}";
    }

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string DistinctPart(RunGroup group, List<RunGroup> all)
    {
        var config = group.Runs[0].Config is { } text && JsonNode.Parse(text) is JsonObject o ? o : null;
        if (config is null) return group.Runs[0].Result.Scenario;
        var others = all.Where(g => g != group && g.Label == group.Label).Select(g => g.Runs[0].Config is { } t && JsonNode.Parse(t) is JsonObject c ? c : null).ToList();
        var differing = config.Where(p => p.Key is not ("seed" or "out") && others.Any(c => c is null || c[p.Key]?.ToJsonString() != p.Value?.ToJsonString()))
            .Select(p => Shorten($"{p.Key} {p.Value}", 48)).ToList();
        return differing.Count == 0 ? group.Runs[0].Result.Scenario : string.Join(", ", differing);
    }
}
