using System.Globalization;
using Lifelong.Catalog;

namespace Lifelong.Sweeps;

/// <summary>Expands a sweep over another command than <c>run</c> (<see cref="SweepKind"/>): the base settings and each
/// variant's axis values become that command's <c>--key value</c> settings, resolved to its config.</summary>
public static class ExperimentSweep
{
    /// <summary>The plan of <paramref name="definition"/> for <paramref name="kind"/>'s runs: every variant on every first-phase seed.</summary>
    /// <exception cref="ConfigurationException">A bad axis or setting (the message names the variant), or an unknown metric.</exception>
    public static SweepPlan Create(string name, SweepDefinition definition, SweepKind kind, IReadOnlyList<string> metrics)
    {
        definition.Select?.Validate();
        foreach (string metric in metrics) kind.Get(metric);
        if (definition.Select is { } select) kind.Get(select.Metric);
        var runs = new List<SweepRun>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string phase = definition.Select is null ? "sweep" : "tuning";
        foreach (var point in definition.Points())
        {
            var args = new List<string>();
            foreach (var (key, values) in definition.Base.Where(b => !point.Any(p => Flag(p.Key) == Flag(b.Key))))
                args.AddRange([$"--{Flag(key)}", string.Join(',', values)]);
            foreach (var (key, value) in point) args.AddRange([$"--{Flag(key)}", value]);
            System.Text.Json.Nodes.JsonObject resolved;
            try { resolved = kind.Resolve(args); }
            catch (Exception e) when (e is ConfigurationException or ArgumentException or FormatException)
            {
                throw new ConfigurationException($"sweep variant {(point.Count == 0 ? "(base)" : string.Join(", ", point.Select(p => $"{p.Key}={p.Value}")))} of '{kind.Name}': {ConfigurationException.Plain(e)}", e);
            }
            string variant = RunHash.VariantOf(kind.WithSeed(resolved, 0));
            foreach (ulong seed in definition.FirstSeeds())
            {
                var config = kind.WithSeed(resolved, seed);
                string hash = RunHash.Of(config);
                if (seen.Add(hash)) runs.Add(new SweepRun(runs.Count, hash, variant, point, seed, phase, null) { Experiment = config });
            }
        }
        return new SweepPlan(name, [.. metrics.Select(m => kind.Get(m).Name)], definition.Select, runs) { Command = kind.Name };
    }

    /// <summary>A sweep-file key as the command's flag: <c>inner_lr</c> → <c>inner-lr</c>; <c>methods</c> (how a sweep file's
    /// <c>method</c> is read for <c>run</c>) → <c>method</c>.</summary>
    private static string Flag(string key) => key is "methods" ? "method" : key.Replace('_', '-').ToLower(CultureInfo.InvariantCulture);
}
