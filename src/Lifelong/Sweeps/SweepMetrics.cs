using Lifelong.Catalog;
using Lifelong.Results;

namespace Lifelong.Sweeps;

/// <summary>The per-run numbers a sweep aggregates, by name: the summary metrics of <c>result.json</c> and the wall time.</summary>
public static class SweepMetrics
{
    private static readonly (string Name, string[] Aliases, Func<RunResult, double> Value)[] s_all =
    [
        ("acc", ["accuracy"], r => r.Summary.Acc),
        ("avg_incremental_acc", ["avg_inc", "average_incremental_accuracy"], r => r.Summary.AvgIncrementalAcc),
        ("bwt", [], r => r.Summary.Bwt),
        ("fwt", [], r => r.Summary.Fwt),
        ("forgetting", [], r => r.Summary.Forgetting),
        ("online_accuracy", ["total_online_accuracy", "online_acc"], r => r.Summary.TotalOnlineAccuracy),
        ("wall_seconds", ["time"], r => r.WallSeconds),
    ];

    /// <summary>The metric names, in the order tables show them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_all.Select(m => m.Name)];

    /// <summary>What a sweep table shows when not told otherwise.</summary>
    public static IReadOnlyList<string> Default { get; } = ["acc", "bwt", "forgetting", "online_accuracy"];

    /// <summary>The canonical name and value of metric <paramref name="name"/> (or one of its aliases; '-' and '_' alike), or
    /// of a result.json path or a paired difference (<see cref="SweepMetricExpression"/>).</summary>
    /// <exception cref="ConfigurationException">An unknown metric; the message lists the known ones.</exception>
    public static (string Name, Func<RunResult, double> Value) Get(string name)
    {
        string key = name.Trim().Replace('-', '_').ToLowerInvariant();
        foreach (var metric in s_all)
            if (metric.Name == key || metric.Aliases.Contains(key)) return (metric.Name, metric.Value);
        return SweepMetricExpression.Get(name) ?? throw new ConfigurationException(
            $"unknown metric '{name}'. Metrics: {string.Join(", ", Names)}, a result.json path (online_accuracy[-1], method.collision_rate; docs/sweeps.md), or A - B.");
    }

    /// <summary>The canonical name of metric <paramref name="name"/> and its value in a <c>result.json</c> file: a continual
    /// run's (<see cref="Get"/>) without <paramref name="kind"/>, else that command's (<see cref="SweepKind.Get"/>).</summary>
    /// <exception cref="ConfigurationException">An unknown metric.</exception>
    public static (string Name, Func<string, double> Value) Of(string name, SweepKind? kind)
    {
        if (kind is null)
        {
            var (canonical, value) = Get(name);
            return (canonical, file => value(RunResult.Load(file)));
        }
        var (kindName, kindValue) = kind.Get(name);
        return (kindName, file => kindValue(System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file)) as System.Text.Json.Nodes.JsonObject
            ?? throw new InvalidDataException($"{file}: not a JSON object.")));
    }
}
