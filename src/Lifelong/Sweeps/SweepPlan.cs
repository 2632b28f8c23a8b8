using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Sweeps;

/// <summary>A sweep's runs, fixed when the sweep starts and kept in <c>sweep.json</c>: executors, <c>status</c> and
/// <c>table</c> all read it, so a sweep directory is self-describing and any machine can run any of its runs by index.</summary>
/// <param name="Name">The sweep's name (its file's name without extension).</param>
/// <param name="Metrics">The metrics its tables show.</param>
/// <param name="Select">The selection protocol, if any.</param>
/// <param name="Runs">Every run, by index; a selection appends the final runs once the tuning runs are done.</param>
public sealed record SweepPlan(string Name, IReadOnlyList<string> Metrics, SweepSelection? Select, IReadOnlyList<SweepRun> Runs)
{
    /// <summary>The command every run executes: <c>run</c>, or a <see cref="SweepKind"/>'s name.</summary>
    public string Command { get; init; } = "run";

    /// <summary>The plan's file in a sweep directory.</summary>
    public static string PathIn(string directory) => Path.Combine(directory, "sweep.json");

    /// <summary>The directory of run <paramref name="run"/> in sweep directory <paramref name="directory"/>.</summary>
    public static string RunDirectoryOf(string directory, SweepRun run) => Path.Combine(directory, "runs", run.Hash);

    /// <summary>Expands <paramref name="definition"/>: every variant (built by <paramref name="configOf"/> from its axis
    /// values, then resolved) on every first-phase seed. Runs that resolve to the same config are kept once.</summary>
    /// <exception cref="ConfigurationException">A bad axis, setting, component or option.</exception>
    public static SweepPlan Create(string name, SweepDefinition definition, Func<IReadOnlyList<KeyValuePair<string, string>>, RunConfig> configOf, IReadOnlyList<string> metrics)
    {
        definition.Select?.Validate();
        foreach (string metric in metrics) SweepMetrics.Get(metric);
        var runs = new List<SweepRun>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string phase = definition.Select is null ? "sweep" : "tuning";
        foreach (var point in definition.Points())
        {
            RunConfig resolved;
            try { resolved = RunFactory.Resolve(configOf(point)) with { Out = null }; }
            catch (ArgumentException e) { throw new ConfigurationException($"sweep variant {string.Join(", ", point.Select(p => $"{p.Key}={p.Value}"))}: {e.Message}", e); }
            string variant = RunHash.VariantOf(resolved);
            foreach (ulong seed in definition.FirstSeeds())
            {
                var config = resolved with { Seed = seed };
                string hash = RunHash.Of(config);
                if (seen.Add(hash)) runs.Add(new SweepRun(runs.Count, hash, variant, point, seed, phase, config));
            }
        }
        return new SweepPlan(name, metrics, definition.Select, runs);
    }

    /// <summary>The variants in plan order, each with its runs of phase <paramref name="phase"/> (all phases when null).</summary>
    public IReadOnlyList<IReadOnlyList<SweepRun>> Variants(string? phase = null) =>
        [.. Runs.Where(r => phase is null || r.Phase == phase).GroupBy(r => r.Variant).Select(g => (IReadOnlyList<SweepRun>)[.. g])];

    /// <summary>The phase the final table reports: <c>final</c> under a selection, else <c>sweep</c>.</summary>
    public string ReportedPhase => Select is null ? "sweep" : "final";

    /// <summary>Whether the final runs of a selection have been added.</summary>
    public bool Selected => Runs.Any(r => r.Phase == "final");

    /// <summary>This plan with the chosen variants appended on the final seeds (the selection's second phase).</summary>
    /// <param name="chosen">Variant ids, in the order their groups first appear.</param>
    /// <param name="kind">The command of a sweep over another command than <c>run</c>.</param>
    public SweepPlan WithFinalRuns(IEnumerable<string> chosen, SweepKind? kind = null)
    {
        var select = Select ?? throw new InvalidOperationException("the sweep has no selection.");
        var runs = Runs.ToList();
        foreach (string variant in chosen)
        {
            var template = Runs.First(r => r.Variant == variant);
            foreach (ulong seed in select.FinalSeeds)
            {
                if (template.Experiment is { } experiment)
                {
                    var seeded = (kind ?? throw new ArgumentNullException(nameof(kind), "a sweep over another command needs its kind.")).WithSeed(experiment, seed);
                    runs.Add(new SweepRun(runs.Count, RunHash.Of(seeded), variant, template.Settings, seed, "final", null) { Experiment = seeded });
                    continue;
                }
                var config = template.Config! with { Seed = seed };
                runs.Add(new SweepRun(runs.Count, RunHash.Of(config), variant, template.Settings, seed, "final", config));
            }
        }
        return this with { Runs = runs };
    }

    /// <summary>Writes <c>sweep.json</c> (atomically).</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        RunDirectory.WriteAtomically(PathIn(directory), JsonSerializer.Serialize(this, RunResult.JsonOptions) + "\n");
    }

    /// <summary>Reads <c>DIR/sweep.json</c>.</summary>
    /// <exception cref="InvalidDataException">No plan there, or one that does not parse.</exception>
    public static SweepPlan Load(string directory)
    {
        string path = PathIn(directory);
        if (!File.Exists(path)) throw new InvalidDataException($"{Path.GetFullPath(directory)}: no sweep.json; not a sweep directory (start one with 'lifelong sweep FILE').");
        try
        {
            return JsonSerializer.Deserialize<SweepPlan>(File.ReadAllText(path), RunResult.JsonOptions)
                ?? throw new InvalidDataException($"{path}: holds null, not a sweep plan.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a sweep plan ({e.Message}).", e);
        }
    }
}
