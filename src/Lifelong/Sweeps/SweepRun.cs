using Lifelong.Runs;

namespace Lifelong.Sweeps;

/// <summary>One run of a sweep: its index (what a Slurm array task is given), its name, its variant and seed.</summary>
/// <param name="Index">Position in the plan, from 0; never changes once written.</param>
/// <param name="Hash">The run's name, <see cref="RunHash.Of(RunConfig)"/> its resolved config; its directory is <c>runs/&lt;hash&gt;</c>.</param>
/// <param name="Variant">The name of its setting, shared by its seeds (<see cref="RunHash.VariantOf(RunConfig)"/>).</param>
/// <param name="Settings">The axis values that make its variant (key → value as written in the sweep file).</param>
/// <param name="Seed">Its seed.</param>
/// <param name="Phase"><c>sweep</c> (no selection), <c>tuning</c> or <c>final</c> (the chosen settings on fresh seeds).</param>
/// <param name="Config">The resolved run config, without <c>out</c>; null for a run of another command (<see cref="Experiment"/>).</param>
public sealed record SweepRun(int Index, string Hash, string Variant, IReadOnlyList<KeyValuePair<string, string>> Settings, ulong Seed, string Phase, RunConfig? Config)
{
    /// <summary>The resolved config of a run of another command than <c>run</c> (<see cref="SweepKind"/>), without <c>out</c>; null for <c>run</c>.</summary>
    public System.Text.Json.Nodes.JsonObject? Experiment { get; init; }

    /// <summary>The axis values as one line, <c>method=l2init, optimizer.lr=0.001</c> (<c>(base)</c> without axes).</summary>
    public string Label => Settings.Count == 0 ? "(base)" : string.Join(", ", Settings.Select(s => $"{s.Key}={s.Value}"));
}
