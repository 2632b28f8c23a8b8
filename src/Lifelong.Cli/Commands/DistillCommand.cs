using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Distillation;
using Lifelong.Experiments;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong distill ...</c>: knowledge distillation on its own (<see cref="DistillationExperiment"/>): a teacher, and
/// the same student trained with and without its soft targets, over several seeds, in a run directory (<see cref="DistillExperiment"/>).</summary>
public sealed class DistillCommand : IExperimentCommand
{
    private const string Usage = """
        usage: lifelong distill [settings...]
               lifelong distill --resume DIR     rerun only the seeds DIR lacks, with DIR/config.json's settings

        settings (defaults in brackets):
          --dataset mnist|fashion-mnist     [mnist]
          --teacher 1200,1200 --student 30  hidden widths of the teacher and student MLPs [1200,1200 and 30]
          --teacher-steps N --student-steps N  Adam steps of batch --batch-size [3000, 3000, 128]
          --lr A                            Adam's step size [1e-3]
          --temperature T --alpha A         soft targets at T, weighted α (1 − α on the labels) [4, 0.9]
          --teacher-dropout P               dropout after the teacher's hidden layers while it trains [0]
          --seeds N --first-seed S          seeds S..S+N−1 [3, 0]
          --log-every N                     a metrics.jsonl line every N steps of each phase [100]
          --out DIR                         run directory: config.json, metrics.jsonl, a checkpoint after each
                                            seed, result.json at the end [runs/distill-<time>]
          --json                            one JSON object per seed
        """;

    private static readonly string[] Known = ["dataset", "teacher", "student", "teacher-steps", "student-steps", "batch-size", "lr", "temperature", "alpha", "teacher-dropout", "seeds", "first-seed", "out", "resume", "log-every"];

    /// <inheritdoc/>
    public string Name => "distill";

    /// <inheritdoc/>
    public string Kind => DistillExperiment.Kind;

    /// <inheritdoc/>
    public string Summary => "knowledge distillation: a small student with and without a large teacher's soft targets, over seeds";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(Usage);
            return ExitCode.Ok;
        }
        try
        {
            var settings = new SettingArgs(args, Known, ["json"]);
            var resumed = ExperimentArgs.Resumed(settings, Known, Kind);
            var (path, json) = resumed ?? (ExperimentArgs.Out(settings, "distill"), Resolve(settings));
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            using var interrupt = Interruption.OnSigint(path, error, "distill");
            var result = Execute(json, path, resumed is not null, store, error, PhaseProgress.OnStandardError(error));
            var runs = result.Runs;
            if (settings.Has("json"))
                foreach (var run in runs) output.WriteLine(JsonSerializer.Serialize(run, RunResult.JsonOptions).ReplaceLineEndings(" "));
            else
            {
                var options = ExperimentArgs.FromJson<DistillationConfig>(json, path).Options;
                output.WriteLine($"teacher {string.Join('×', options.Teacher)} ({runs[0].TeacherParameters:N0} parameters), student {string.Join('×', options.Student)} ({runs[0].StudentParameters:N0}), T = {options.Temperature}, α = {options.Alpha}, {runs.Count} seeds");
                output.WriteLine($"  teacher            {Spread.Format(runs.Select(r => r.Teacher))} test accuracy");
                output.WriteLine($"  student alone      {Spread.Format(runs.Select(r => r.StudentAlone))} test accuracy");
                output.WriteLine($"  student distilled  {Spread.Format(runs.Select(r => r.StudentDistilled))} test accuracy");
            }
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or DatasetException)
        {
            error.WriteLine($"lifelong distill: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or NotFiniteNumberException or IOException)
        {
            error.WriteLine($"lifelong distill: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <inheritdoc/>
    public JsonObject Resolve(IReadOnlyList<string> args) => Resolve(new SettingArgs(args, [.. Known.Where(k => k is not ("out" or "resume"))], []));

    /// <inheritdoc/>
    public void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log) => Execute(config, directory, resume, store, log, null);

    private static JsonObject Resolve(SettingArgs settings)
    {
        var options = new DistillationOptions(settings.Widths("teacher", [1200, 1200]), settings.Widths("student", [30]),
            settings.Get("teacher-steps", 3_000), settings.Get("student-steps", 3_000), settings.Get("batch-size", 128), settings.Get("lr", 1e-3),
            settings.Get("temperature", 4f), settings.Get("alpha", 0.9f), settings.Get("teacher-dropout", 0f));
        SettingArgs.Validate(options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
        var config = new DistillationConfig(DistillExperiment.Kind, settings.Get("dataset", "mnist"), settings.Get("first-seed", 0UL), settings.Get("seeds", 3), options, settings.Get("log-every", 100));
        SettingArgs.Validate(config);
        return ExperimentArgs.ToJson(config);
    }

    private static DistillationResult Execute(JsonObject json, string path, bool resume, DatasetStore store, TextWriter error, PhaseProgress? progress)
    {
        var config = ExperimentArgs.FromJson<DistillationConfig>(json, path);
        SettingArgs.Validate(config.Options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
        SettingArgs.Validate(config);
        if (resume && File.Exists(Path.Combine(path, "result.json")))
        {
            error.WriteLine($"{Path.GetFullPath(path)}: the run is already complete.");
            return ExperimentArgs.FromJson<DistillationResult>(JsonNode.Parse(File.ReadAllText(Path.Combine(path, "result.json")))!.AsObject(), path);
        }
        var options = config.Options;
        var data = MetaCommand.LoadImages(store, config.Dataset);
        var largest = options.Teacher.Sum(w => (long)w) >= options.Student.Sum(w => (long)w) ? options.Teacher : options.Student;
        MemoryEstimate.Of(MlpModelOptions.Parameters(data.Shape.Size, largest, data.ClassCount, 1), options.BatchSize, largest.Max(), 1).Check("the teacher", null);
        if (!resume) config = config with { Out = path, Provenance = RunProvenance.Capture(store.Loaded) };
        using var run = resume ? ExperimentRun.Resume(path, json) : ExperimentRun.Start(path, ExperimentArgs.ToJson(config));
        if (run.Resumed is { } state) error.WriteLine($"{run.Directory.Path}: seeds finished earlier: {state.Progress["seeds"]!.AsArray().Count}");
        var result = DistillExperiment.Run(run, config, data, line => error.WriteLine(line), progress is null ? null : progress.Report);
        error.WriteLine(ExperimentArgs.Finished(run));
        return result;
    }
}
