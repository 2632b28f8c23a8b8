using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Cli.Commands;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Sweeps;

/// <summary>The commands a sweep can range over besides <c>run</c>, one entry each: a sweep file's <c>command: NAME</c> picks
/// one, and its axes then range over that command's settings (docs/sweeps.md). A new experiment command plugs in by adding
/// its entry here.</summary>
public static class SweepCommands
{
    /// <summary>Every sweepable command but <c>run</c> (which the sweep machinery runs through its own config type).</summary>
    public static IReadOnlyList<SweepKind> All { get; } =
    [
        Entry(new MetaCommand(), Seed("seed"), ["accuracy"],
            [("accuracy", "accuracy"), ("interval95", "interval95"), ("final_loss", "final_loss"), ("wall_seconds", "wall_seconds")]),
        Entry(new PretrainCommand(), Seed("seed"), ["test_accuracy", "final_loss"],
            [("test_accuracy", "test_accuracy"), ("final_loss", "final_loss"), ("wall_seconds", "wall_seconds")]),
        Entry(new DistillCommand(), Seed("first_seed", single: true), ["teacher", "student_alone", "student_distilled"],
            [("teacher", "teacher.mean"), ("student_alone", "student_alone.mean"), ("student_distilled", "student_distilled.mean"), ("wall_seconds", "wall_seconds")]),
        Entry(new TransferCommand(), Seed("first_seed", single: true), ["scratch", "fine_tune", "linear_probe"],
            [("scratch", null), ("fine_tune", null), ("linear_probe", null), ("wall_seconds", "wall_seconds")], TransferMetric),
        Entry(new RlCommand(), Seed("seed"), ["average_performance"],
            [("average_performance", "average_performance"), ("env_steps", "env_steps"), ("seconds_per_iteration", "seconds_per_iteration")]),
    ];

    /// <summary>Every command a sweep file may name, <c>run</c> first.</summary>
    public static IEnumerable<string> Names => All.Select(k => k.Name).Prepend("run");

    /// <summary>The entry of <paramref name="command"/>; null for <c>run</c>.</summary>
    /// <exception cref="ConfigurationException">A command no sweep can run; the message lists those it can.</exception>
    public static SweepKind? Find(string command) => command == "run" ? null
        : All.FirstOrDefault(k => k.Name == command)
          ?? throw new ConfigurationException($"a sweep cannot run '{command}'.{Spelling.Suggest(command, Names)} Commands: {string.Join(", ", Names)}.");

    private static SweepKind Entry(IExperimentCommand command, Func<JsonObject, ulong, JsonObject> withSeed, IReadOnlyList<string> defaults,
        IReadOnlyList<(string Name, string? Path)> metrics, Func<string, Func<JsonObject, double>?>? pattern = null) =>
        new(command.Name, command.Resolve, withSeed, command.Execute, [.. metrics.Select(m => m.Name)], defaults,
            name => metrics.FirstOrDefault(m => m.Name == name) is { Path: { } path } ? result => SweepKind.Number(result, path) : pattern?.Invoke(name));

    /// <summary>Sets the seed key; for a command that runs several seeds itself, runs that seed alone (<c>seeds: 1</c>).</summary>
    private static Func<JsonObject, ulong, JsonObject> Seed(string key, bool single = false) => (config, seed) =>
    {
        var copy = config.DeepClone().AsObject();
        copy[key] = seed;
        if (single) copy["seeds"] = 1;
        return copy;
    };

    /// <summary><c>fine_tune</c>: a regime's test accuracy, averaged over the run's K values and seeds; <c>fine_tune@5</c>: at K = 5.</summary>
    private static Func<JsonObject, double>? TransferMetric(string name)
    {
        string[] parts = name.Split('@');
        if (parts[0] is not ("scratch" or "fine_tune" or "linear_probe") || parts.Length > 2) return null;
        int? shots = parts.Length == 2 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int k) ? k : null;
        if (parts.Length == 2 && shots is null) return null;
        return result =>
        {
            var values = (result["runs"]?.AsArray() ?? []).OfType<JsonObject>()
                .Where(r => r["regime"]?.GetValue<string>() == parts[0] && (shots is null || SweepKind.Number(r, "shots") == shots))
                .Select(r => SweepKind.Number(r, "accuracy")).ToList();
            return values.Count == 0 ? double.NaN : values.Average();
        };
    }
}
