using System.Text.Json;
using Lifelong.Reports;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Distillation;

/// <summary>The fully resolved settings of a <c>lifelong distill</c> run, as its <c>config.json</c> holds them.</summary>
/// <param name="Kind">Always <c>distill</c>: the experiment kind.</param>
/// <param name="Dataset">The dataset name (<c>mnist</c>, <c>fashion-mnist</c>).</param>
/// <param name="Seeds">The seeds run: 0 .. Seeds − 1.</param>
/// <param name="Options">Every option of the experiment, defaults included.</param>
/// <param name="Provenance">Where it ran (code version, instruction set, threads, dataset checksums); describes, never defines, the run.</param>
public sealed record DistillationConfig(string Kind, string Dataset, int Seeds, DistillationOptions Options, RunProvenance? Provenance);

/// <summary>The <c>result.json</c> of a <c>lifelong distill</c> run: every seed and the mean ± std over seeds.</summary>
/// <param name="Kind">Always <c>distill</c>.</param>
/// <param name="Runs">One entry per seed, in seed order: the test accuracies of the teacher, the student alone and the student
/// distilled, and the parameter counts of teacher and student.</param>
/// <param name="Teacher">Mean and sample std of the teacher's test accuracy over seeds.</param>
/// <param name="StudentAlone">The same for the student trained on the labels alone.</param>
/// <param name="StudentDistilled">The same for the student trained with the teacher's soft targets.</param>
public sealed record DistillationResult(string Kind, IReadOnlyList<DistillationRun> Runs, MeanStd Teacher, MeanStd StudentAlone, MeanStd StudentDistilled)
{
    /// <summary>The result of <paramref name="runs"/> (in seed order).</summary>
    public static DistillationResult Of(IReadOnlyList<DistillationRun> runs) =>
        new(DistillationDirectory.Kind, runs, MeanStd.Of(runs.Select(r => r.Teacher)), MeanStd.Of(runs.Select(r => r.StudentAlone)), MeanStd.Of(runs.Select(r => r.StudentDistilled)));
}

/// <summary>The run directory of <c>lifelong distill</c>: <c>config.json</c>, one <c>seeds/seed-N.json</c> per finished seed
/// (written atomically as it completes, so an interrupted run resumes at seed granularity) and <c>result.json</c> at the end.</summary>
/// <remarks>Each seed is independent (its own root <see cref="Rng"/>), so a resumed run that reruns only the missing seeds writes
/// the same bits as an uninterrupted one: JSON keeps doubles to their shortest round-trip text.</remarks>
/// <param name="path">The directory.</param>
public sealed class DistillationDirectory(string path)
{
    /// <summary>The experiment kind in <c>config.json</c> and <c>result.json</c>.</summary>
    public const string Kind = "distill";

    /// <summary>The directory.</summary>
    public string Path { get; } = path;

    /// <summary><c>config.json</c>.</summary>
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    /// <summary><c>result.json</c>.</summary>
    public string ResultFile => System.IO.Path.Combine(Path, "result.json");

    /// <summary>The file of one finished seed: <c>seeds/seed-N.json</c>.</summary>
    public string SeedFile(ulong seed) => System.IO.Path.Combine(Path, "seeds", $"seed-{seed}.json");

    /// <summary>Creates the directory and writes <paramref name="config"/>.</summary>
    public void Start(DistillationConfig config)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "seeds"));
        RunDirectory.WriteAtomically(ConfigFile, JsonSerializer.Serialize(config, RunResult.JsonOptions) + "\n");
    }

    /// <summary>The settings in <c>config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not a distillation config.</exception>
    public DistillationConfig LoadConfig()
    {
        if (!File.Exists(ConfigFile)) throw new InvalidDataException($"{ConfigFile}: no such file; is {Path} a 'lifelong distill' run directory?");
        DistillationConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<DistillationConfig>(File.ReadAllText(ConfigFile), RunResult.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{ConfigFile}: not a distillation config ({e.Message}).", e);
        }
        if (config is null || config.Kind != Kind || config.Options is null)
            throw new InvalidDataException($"{ConfigFile}: not a distillation config (its kind is '{config?.Kind}', expected '{Kind}').");
        return config;
    }

    /// <summary>Seed <paramref name="seed"/>'s result when it finished earlier, else null.</summary>
    public DistillationRun? LoadSeed(ulong seed)
    {
        string file = SeedFile(seed);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<DistillationRun>(File.ReadAllText(file), RunResult.JsonOptions)
                ?? throw new InvalidDataException($"{file}: empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}: not a seed result ({e.Message}); delete it to rerun that seed.", e);
        }
    }

    /// <summary>Records one finished seed.</summary>
    public void SaveSeed(DistillationRun run) =>
        RunDirectory.WriteAtomically(SeedFile(run.Seed), JsonSerializer.Serialize(run, RunResult.JsonOptions) + "\n");

    /// <summary>Writes <c>result.json</c>.</summary>
    public void SaveResult(DistillationResult result) =>
        RunDirectory.WriteAtomically(ResultFile, JsonSerializer.Serialize(result, RunResult.JsonOptions) + "\n");
}
