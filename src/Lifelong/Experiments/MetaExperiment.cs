using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Meta;
using Lifelong.Results;
using Lifelong.Scenarios;

namespace Lifelong.Experiments;

/// <summary>The fully resolved settings of a <c>lifelong meta few-shot</c> run, as its <c>config.json</c> holds them.</summary>
/// <param name="Kind">Always <c>meta</c>.</param>
/// <param name="Dataset">The images (<c>mnist</c>, <c>fashion-mnist</c>, <c>mnist+fashion-mnist</c>).</param>
/// <param name="Ways">N of the N-way episodes.</param> <param name="Shots">K: support images per class.</param>
/// <param name="Queries">Query images per class.</param> <param name="TestEpisodes">Meta-test episodes scored at the end.</param>
/// <param name="Seed">The class split, the episodes, the init.</param>
/// <param name="Options">The learner and its settings (the MLP's hidden widths resolved when no conv net is used).</param>
/// <param name="LogEvery">A <c>meta_iteration</c> line of <c>metrics.jsonl</c> every this many iterations (window means).</param>
/// <param name="EvalEvery">Every this many iterations, the meta-test accuracy on the first <paramref name="EvalEpisodes"/>
/// episodes (a <c>meta_eval</c> line); 0: none. Scoring adapts copies, but with a conv net it also runs its BatchNorm in
/// training mode, so the setting is part of what the run computes.</param>
/// <param name="EvalEpisodes">Episodes of each <c>meta_eval</c>.</param>
/// <param name="CheckpointEvery">A checkpoint every this many iterations (and always when meta-training ends); may change on resume.</param>
/// <param name="Save">Also write the meta-trained model here (the run directory always holds it as <c>model.safetensors</c>).</param>
/// <param name="Out">The run directory; may change on resume.</param>
/// <param name="Provenance">Where it ran; describes, never defines, the run.</param>
public sealed record MetaConfig(
    string Kind, string Dataset, int Ways, int Shots, int Queries, int TestEpisodes, ulong Seed, FewShotBenchmarkOptions Options,
    [Positive] int LogEvery = 50, [NonNegative] int EvalEvery = 0, [Positive(Max = 1_000_000)] int EvalEpisodes = 100, [NonNegative] int CheckpointEvery = 100,
    string? Save = null, string? Out = null, RunProvenance? Provenance = null);

/// <summary>The <c>result.json</c> of a <c>lifelong meta few-shot</c> run (docs/experiments.md).</summary>
/// <param name="Kind">Always <c>meta</c>.</param> <param name="Method">The learner.</param>
/// <param name="Ways">N.</param> <param name="Shots">K.</param> <param name="Seed">The seed.</param>
/// <param name="Iterations">Meta-training iterations.</param>
/// <param name="Accuracy">Mean query accuracy over the meta-test episodes (classes never seen in meta-training).</param>
/// <param name="Interval95">1.96 · std / √episodes.</param>
/// <param name="Episodes">Meta-test episodes.</param>
/// <param name="FinalLoss">Mean meta-loss (pretraining loss) of the last logged window; null for Reptile, which has none.</param>
/// <param name="WallSeconds">Wall time over all the run's sessions (differs between runs; never compared).</param>
/// <param name="Provenance">Where the run finished.</param>
public sealed record MetaResult(string Kind, FewShotMethod Method, int Ways, int Shots, ulong Seed, int Iterations, double Accuracy, double Interval95, int Episodes,
    double? FinalLoss, double WallSeconds, RunProvenance? Provenance);

/// <summary>A <c>lifelong meta few-shot</c> run in its run directory: meta-training with a <c>metrics.jsonl</c> line every
/// <see cref="MetaConfig.LogEvery"/> iterations and a checkpoint every <see cref="MetaConfig.CheckpointEvery"/>, then the
/// meta-test score.</summary>
public static class MetaExperiment
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "meta";

    /// <summary>The episodes of <paramref name="config"/> on <paramref name="images"/>.</summary>
    public static FewShotEpisodes Episodes(MetaConfig config, TrainTestSplit images) =>
        new(images, config.Seed, new FewShotOptions(config.Ways, config.Shots, config.Queries, Episodes: checked(config.Options.Iterations * config.Options.MetaBatch), TestEpisodes: config.TestEpisodes));

    /// <summary>Runs (or continues, from <see cref="ExperimentRun.Resumed"/>) <paramref name="config"/> in <paramref name="run"/>.</summary>
    /// <exception cref="NotFiniteNumberException">Meta-training left a weight NaN or infinite.</exception>
    public static MetaResult Run(ExperimentRun run, MetaConfig config, FewShotEpisodes episodes, Action<string, int, int>? progress = null)
    {
        var options = config.Options;
        var learner = FewShotBenchmark.Create(episodes, options, config.Seed);
        bool hasLoss = options.Method != FewShotMethod.Reptile, hasAccuracy = options.Method == FewShotMethod.ProtoNet;
        int start = 0, count = 0;
        double lossSum = 0, accuracySum = 0;
        double? lastLoss = null;
        if (run.Resumed is { } resumed)
        {
            learner.Restore(resumed);
            var p = resumed.Progress;
            (start, count, lossSum, accuracySum) = (Read<int>(p, "iteration"), Read<int>(p, "window_count"), Read<double>(p, "window_loss"), Read<double>(p, "window_accuracy"));
            lastLoss = Read<double?>(p, "last_loss");
        }
        string phase = $"{options.Method.ToString().ToLowerInvariant()} meta-training";
        for (int it = start; it < options.Iterations; it++)
        {
            var step = learner.Step(it, options.Iterations);
            (count, lossSum, accuracySum) = (count + 1, lossSum + step.Loss, accuracySum + step.Accuracy);
            int done = it + 1;
            progress?.Invoke(phase, done, options.Iterations);
            if (done % config.LogEvery == 0 || done == options.Iterations)
            {
                var line = new Dictionary<string, object?> { ["event"] = "meta_iteration", ["iteration"] = done, ["total_steps"] = done };
                if (hasLoss) line["loss"] = lastLoss = lossSum / count;
                if (hasAccuracy) line["accuracy"] = accuracySum / count;
                run.Log(line);
                (count, lossSum, accuracySum) = (0, 0, 0);
            }
            if (config.EvalEvery > 0 && done % config.EvalEvery == 0)
            {
                learner.PrepareScoring();
                var (mean, interval) = FewShotBenchmark.Summarize([.. Enumerable.Range(0, Math.Min(config.EvalEpisodes, episodes.MetaTestEpisodeCount)).Select(i => learner.Score(episodes.MetaTestEpisode(i)))]);
                run.Log(new Dictionary<string, object?> { ["event"] = "meta_eval", ["iteration"] = done, ["total_steps"] = done, ["accuracy"] = mean, ["interval95"] = interval });
            }
            if (done == options.Iterations || config.CheckpointEvery > 0 && done % config.CheckpointEvery == 0)
            {
                var state = new ExperimentState(new JsonObject
                {
                    ["iteration"] = done,
                    ["window_count"] = count,
                    ["window_loss"] = lossSum,
                    ["window_accuracy"] = accuracySum,
                    ["last_loss"] = lastLoss,
                });
                learner.Save(state);
                run.Checkpoint(state);
            }
        }
        learner.PrepareScoring();
        FewShotBenchmark.RequireFinite(learner, options.Iterations);
        var metadata = new Dictionary<string, string> { ["lifelong.meta_method"] = options.Method.ToString(), ["lifelong.seed"] = config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Pretrained.PretrainedCheckpoint.Save(learner.Model, Path.Combine(run.Directory.Path, "model.safetensors"), metadata);
        if (config.Save is not null) Pretrained.PretrainedCheckpoint.Save(learner.Model, config.Save, metadata);
        var accuracies = Enumerable.Range(0, episodes.MetaTestEpisodeCount).Select(i =>
        {
            double accuracy = learner.Score(episodes.MetaTestEpisode(i));
            progress?.Invoke("meta-test episodes", i + 1, episodes.MetaTestEpisodeCount);
            return accuracy;
        }).ToArray();
        var (accuracy, interval95) = FewShotBenchmark.Summarize(accuracies);
        run.Log(new Dictionary<string, object?> { ["event"] = "meta_test", ["iteration"] = options.Iterations, ["total_steps"] = options.Iterations, ["accuracy"] = accuracy, ["interval95"] = interval95, ["episodes"] = accuracies.Length });
        var result = new MetaResult(Kind, options.Method, config.Ways, config.Shots, config.Seed, options.Iterations, accuracy, interval95, accuracies.Length,
            hasLoss ? lastLoss : null, run.WallSeconds, RunProvenance.Capture(config.Provenance?.Datasets ?? []));
        run.Finish(result);
        return result;
    }

    private static T Read<T>(JsonObject progress, string key) => ExperimentCheckpoint.Read<T>(progress, key);
}
