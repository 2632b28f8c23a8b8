using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Runs;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Sweeps;

/// <summary>One run of a sweep, by index: what a local pool's child process and a Slurm array task execute
/// (<c>lifelong sweep run-one DIR INDEX</c>).</summary>
/// <remarks>
/// Under the run's lock: a finished run is left alone; an interrupted one continues from its checkpoint; a fresh one
/// starts. A run that fails with an error is tried again, up to <c>retries</c> more times over all attempts ever made; a
/// run that diverges is recorded as diverged and never retried (the same config diverges the same way, bit for bit).
/// </remarks>
public static class SweepRunOne
{
    /// <summary>What happened: <c>done</c>, <c>skipped</c> (already done, or diverged/failed before), <c>locked</c>,
    /// <c>diverged</c> or <c>failed</c>.</summary>
    public static string Execute(string directory, SweepPlan plan, int index, int retries, string? dataRoot, TextWriter output)
    {
        if (index < 0 || index >= plan.Runs.Count)
            throw new ConfigurationException($"run index {index} is out of range; the sweep has runs 0 to {plan.Runs.Count - 1}.");
        var run = plan.Runs[index];
        var runDirectory = new RunDirectory(SweepPlan.RunDirectoryOf(directory, run));
        if (File.Exists(runDirectory.ResultFile)) return "skipped";
        using var claim = RunLock.TryAcquire(RunLock.PathOf(directory, run.Hash));
        if (claim is null)
        {
            output.WriteLine($"{run.Hash}: another executor holds the lock ({RunLock.PathOf(directory, run.Hash)}).");
            return "locked";
        }
        if (File.Exists(runDirectory.ResultFile)) return "skipped";
        var state = SweepRunState.Load(directory, run.Hash);
        if (state.Outcome == "diverged" || state.Failures > retries) return "skipped";

        var store = new DatasetStore(dataRoot) { Log = line => output.WriteLine(line) };
        while (true)
        {
            state = state with { Outcome = "running", Attempts = state.Attempts + 1, Host = Environment.MachineName };
            state.Save(directory, run.Hash);
            try
            {
                output.WriteLine($"{run.Hash}: {run.Label}, seed {run.Seed} (attempt {state.Attempts})");
                if (run.Experiment is { } experiment)
                {
                    var kind = SweepCommands.Find(plan.Command) ?? throw new InvalidDataException($"{SweepPlan.PathIn(directory)}: run {run.Index} holds another command's config, but the plan's command is '{plan.Command}'.");
                    kind.Execute(experiment, runDirectory.Path, File.Exists(runDirectory.ConfigFile), store, output);
                }
                else
                {
                    var prepared = RunFactory.Build(run.Config! with { Out = runDirectory.Path }, store);
                    if (runDirectory.HoldsRun) prepared.Resume(runDirectory);
                    else prepared.Run(runDirectory);
                }
                (state with { Outcome = "done", Message = null }).Save(directory, run.Hash);
                return "done";
            }
            catch (Exception e) when (e is TrainingDivergedException or NotFiniteNumberException)
            {
                (state with { Outcome = "diverged", Message = e.Message }).Save(directory, run.Hash);
                output.WriteLine($"{run.Hash}: {e.Message}");
                return "diverged";
            }
            catch (Exception e) when (e is ConfigurationException or DatasetException or InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                state = state with { Outcome = "failed", Failures = state.Failures + 1, Message = e.Message };
                state.Save(directory, run.Hash);
                output.WriteLine($"{run.Hash}: failed: {e.Message}");
                // A configuration error fails the same way every time; anything else (a full disk, a flaky file system) may not.
                if (e is ConfigurationException || state.Failures > retries) return "failed";
            }
        }
    }
}
