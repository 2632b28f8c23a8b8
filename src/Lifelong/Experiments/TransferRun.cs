using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Pretrained;
using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Experiments;

/// <summary>The fully resolved settings of a <c>lifelong transfer</c> run, as its <c>config.json</c> holds them.</summary>
/// <param name="Kind">Always <c>transfer</c>.</param>
/// <param name="Model">The pretrained model spec with its <c>checkpoint=PATH</c>.</param>
/// <param name="Dataset">The target data.</param>
/// <param name="FirstSeed">The first seed.</param> <param name="Seeds">How many seeds (each draws its own K-shot sets).</param>
/// <param name="Options">K values, steps, batch size, learning rate, classes.</param>
/// <param name="Out">The run directory; may change on resume.</param> <param name="Provenance">Where it ran.</param>
public sealed record TransferConfig(string Kind, string Model, string Dataset, [NonNegative] ulong FirstSeed, [Positive(Max = 1_000)] int Seeds, TransferOptions Options,
    string? Out = null, RunProvenance? Provenance = null);

/// <summary>One cell of the transfer table: a regime at one K, over seeds.</summary>
/// <param name="Shots">K.</param> <param name="Regime">The regime.</param> <param name="Accuracy">Mean and sample std of the test accuracy over seeds.</param>
public sealed record TransferCell(int Shots, TransferRegime Regime, MeanStd Accuracy);

/// <summary>The <c>result.json</c> of a <c>lifelong transfer</c> run (docs/experiments.md).</summary>
/// <param name="Kind">Always <c>transfer</c>.</param>
/// <param name="Runs">Every (K, regime, seed) test accuracy, in run order.</param>
/// <param name="Table">Per K and regime, the mean ± std over seeds.</param>
/// <param name="WallSeconds">Wall time over all sessions (never compared).</param> <param name="Provenance">Where it finished.</param>
public sealed record TransferRunResult(string Kind, IReadOnlyList<TransferResult> Runs, IReadOnlyList<TransferCell> Table, double WallSeconds, RunProvenance? Provenance);

/// <summary>A <c>lifelong transfer</c> run in its run directory: each seed in turn (<see cref="TransferExperiment"/>), a
/// <c>metrics.jsonl</c> line per regime and K, and a checkpoint after each seed (the unit an interrupted run resumes at).</summary>
public static class TransferRun
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "transfer";

    /// <summary>Runs (or continues) <paramref name="config"/> in <paramref name="run"/> on <paramref name="target"/>.</summary>
    /// <exception cref="NotFiniteNumberException">A loss became NaN or infinite.</exception>
    public static TransferRunResult Run(ExperimentRun run, TransferConfig config, TrainTestSplit target, Action<string, int, int>? progress = null)
    {
        var model = ComponentSpec.Parse(config.Model, "model");
        var results = run.Resumed is { } resumed ? ExperimentCheckpoint.Read<List<TransferResult>>(resumed.Progress, "runs") : [];
        int done = results.Count / (config.Options.Shots.Length * Enum.GetValues<TransferRegime>().Length);
        long perSeed = (long)config.Options.Shots.Length * Enum.GetValues<TransferRegime>().Length * config.Options.Steps;
        for (int i = done; i < config.Seeds; i++)
        {
            ulong seed = config.FirstSeed + (ulong)i;
            long steps = i * perSeed;
            results.AddRange(TransferExperiment.Run(model, target, config.Options, seed, progress, r =>
            {
                steps += config.Options.Steps;
                run.Log(new { Event = "transfer_result", r.Seed, r.Shots, r.Regime, TotalSteps = steps, r.Accuracy });
            }));
            run.Checkpoint(new ExperimentState(new JsonObject { ["runs"] = JsonSerializer.SerializeToNode(results, RunResult.JsonOptions) }));
        }
        var table = results.GroupBy(r => (r.Shots, r.Regime)).Select(g => new TransferCell(g.Key.Shots, g.Key.Regime, MeanStd.Of(g.Select(r => r.Accuracy)))).ToList();
        var final = new TransferRunResult(Kind, results, table, run.WallSeconds, RunProvenance.Capture(config.Provenance?.Datasets ?? []));
        run.Finish(final);
        return final;
    }
}
