using System.Text.Json;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Sweeps;

/// <summary>What the executors have recorded about one run of a sweep (<c>state/&lt;hash&gt;.json</c>); whether it is done
/// is read from its <c>result.json</c> instead, the one fact that needs no bookkeeping.</summary>
/// <param name="Outcome">The last attempt's outcome: <c>running</c>, <c>done</c>, <c>failed</c> or <c>diverged</c>.</param>
/// <param name="Attempts">Attempts started.</param>
/// <param name="Failures">Attempts that failed with an error (not counting ones killed from outside).</param>
/// <param name="Message">The last failure's or divergence's message.</param>
/// <param name="Host">The host of the last attempt.</param>
public sealed record SweepRunState(string Outcome, int Attempts, int Failures, string? Message, string? Host)
{
    /// <summary>The state file of run <paramref name="hash"/> in sweep directory <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string hash) => Path.Combine(directory, "state", hash + ".json");

    /// <summary>The recorded state, or a fresh one when none was recorded.</summary>
    public static SweepRunState Load(string directory, string hash)
    {
        string path = PathOf(directory, hash);
        if (!File.Exists(path)) return new SweepRunState("queued", 0, 0, null, null);
        try { return JsonSerializer.Deserialize<SweepRunState>(File.ReadAllText(path), RunResult.JsonOptions) ?? new SweepRunState("queued", 0, 0, null, null); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a run state ({e.Message}); delete it to start the run's bookkeeping afresh.", e); }
    }

    /// <summary>Writes the state (atomically).</summary>
    public void Save(string directory, string hash)
    {
        Directory.CreateDirectory(Path.Combine(directory, "state"));
        RunDirectory.WriteAtomically(PathOf(directory, hash), JsonSerializer.Serialize(this, RunResult.JsonOptions) + "\n");
    }

    /// <summary>Where run <paramref name="run"/> stands: <c>done</c> (its result.json exists), <c>running</c> (a live
    /// lock), <c>diverged</c>, <c>failed</c> (its last attempt failed), or <c>queued</c> (never started, or interrupted).</summary>
    public static string StatusOf(string directory, SweepRun run)
    {
        if (File.Exists(Path.Combine(SweepPlan.RunDirectoryOf(directory, run), "result.json"))) return "done";
        if (RunLock.Holder(RunLock.PathOf(directory, run.Hash)) is { Stale: false }) return "running";
        return Load(directory, run.Hash).Outcome switch
        {
            "diverged" => "diverged",
            "failed" => "failed",
            _ => "queued",
        };
    }
}
