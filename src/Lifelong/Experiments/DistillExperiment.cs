using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Distillation;
using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Experiments;

/// <summary>The fully resolved settings of a <c>lifelong distill</c> run, as its <c>config.json</c> holds them.</summary>
/// <param name="Kind">Always <c>distill</c>: the experiment kind.</param>
/// <param name="Dataset">The dataset name (<c>mnist</c>, <c>fashion-mnist</c>).</param>
/// <param name="FirstSeed">The first seed.</param>
/// <param name="Seeds">How many seeds: <paramref name="FirstSeed"/> .. <paramref name="FirstSeed"/> + Seeds − 1.</param>
/// <param name="Options">Every option of the experiment, defaults included.</param>
/// <param name="LogEvery">A <c>distill_step</c> line of <c>metrics.jsonl</c> every this many steps of each phase.</param>
/// <param name="Out">The run directory; may change on resume.</param>
/// <param name="Provenance">Where it ran (code version, instruction set, threads, dataset checksums); describes, never defines, the run.</param>
public sealed record DistillationConfig(string Kind, string Dataset, [NonNegative] ulong FirstSeed, [Positive(Max = 1_000)] int Seeds, DistillationOptions Options,
    [Positive] int LogEvery = 100, string? Out = null, RunProvenance? Provenance = null);

/// <summary>The <c>result.json</c> of a <c>lifelong distill</c> run: every seed and the mean ± std over seeds (docs/experiments.md).</summary>
/// <param name="Kind">Always <c>distill</c>.</param>
/// <param name="Runs">One entry per seed, in seed order: the test accuracies of the teacher, the student alone and the student
/// distilled, and the parameter counts of teacher and student.</param>
/// <param name="Teacher">Mean and sample std of the teacher's test accuracy over seeds.</param>
/// <param name="StudentAlone">The same for the student trained on the labels alone.</param>
/// <param name="StudentDistilled">The same for the student trained with the teacher's soft targets.</param>
/// <param name="WallSeconds">Wall time over all sessions (never compared).</param>
/// <param name="Provenance">Where it finished.</param>
public sealed record DistillationResult(string Kind, IReadOnlyList<DistillationRun> Runs, MeanStd Teacher, MeanStd StudentAlone, MeanStd StudentDistilled,
    double WallSeconds = 0, RunProvenance? Provenance = null)
{
    /// <summary>The result of <paramref name="runs"/> (in seed order).</summary>
    public static DistillationResult Of(IReadOnlyList<DistillationRun> runs) =>
        new(DistillExperiment.Kind, runs, MeanStd.Of(runs.Select(r => r.Teacher)), MeanStd.Of(runs.Select(r => r.StudentAlone)), MeanStd.Of(runs.Select(r => r.StudentDistilled)));
}

/// <summary>A <c>lifelong distill</c> run in its run directory: each seed in turn (<see cref="DistillationExperiment"/>), a
/// <c>metrics.jsonl</c> line every <see cref="DistillationConfig.LogEvery"/> steps of each phase and one per finished seed,
/// and a checkpoint after each seed: the seed is the unit an interrupted run resumes at.</summary>
/// <remarks>Each seed is independent (its own root <see cref="Rng"/>), so a resumed run that reruns only the unfinished seeds
/// writes the same bits as an uninterrupted one.</remarks>
public static class DistillExperiment
{
    /// <summary>The experiment kind in <c>config.json</c> and <c>result.json</c>.</summary>
    public const string Kind = "distill";

    /// <summary>Runs (or continues) <paramref name="config"/> in <paramref name="run"/>.</summary>
    /// <exception cref="NotFiniteNumberException">A loss became NaN or infinite.</exception>
    public static DistillationResult Run(ExperimentRun run, DistillationConfig config, TrainTestSplit data, Action<string>? log = null, Action<string, int, int>? progress = null)
    {
        var options = config.Options;
        var runs = run.Resumed is { } resumed ? ExperimentCheckpoint.Read<List<DistillationRun>>(resumed.Progress, "seeds") : [];
        long perSeed = (long)options.TeacherSteps + 2L * options.StudentSteps;
        for (int i = runs.Count; i < config.Seeds; i++)
        {
            ulong seed = config.FirstSeed + (ulong)i;
            long before = i * perSeed;
            double windowLoss = 0;
            int window = 0;
            void OnLoss(string phase, int step, double loss)
            {
                (windowLoss, window) = (windowLoss + loss, window + 1);
                int total = phase == "teacher" ? options.TeacherSteps : options.StudentSteps;
                if (step % config.LogEvery != 0 && step != total) return;
                long offset = phase switch { "teacher" => 0, "student_alone" => options.TeacherSteps, _ => options.TeacherSteps + options.StudentSteps };
                run.Log(new { Event = "distill_step", Seed = seed, Phase = phase, Step = step, TotalSteps = before + offset + step, Loss = windowLoss / window });
                (windowLoss, window) = (0, 0);
            }
            var result = DistillationExperiment.Run(data, options, seed, log, progress, OnLoss);
            runs.Add(result);
            run.Log(new { Event = "distill_seed", Seed = seed, TotalSteps = before + perSeed, result.Teacher, result.StudentAlone, result.StudentDistilled });
            run.Checkpoint(new ExperimentState(new JsonObject { ["seeds"] = JsonSerializer.SerializeToNode(runs, RunResult.JsonOptions) }));
        }
        var final = DistillationResult.Of(runs) with { WallSeconds = run.WallSeconds, Provenance = RunProvenance.Capture(config.Provenance?.Datasets ?? []) };
        run.Finish(final);
        return final;
    }
}
