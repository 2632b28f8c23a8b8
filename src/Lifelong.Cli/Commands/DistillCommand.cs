using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Distillation;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong distill ...</c>: knowledge distillation on its own (<see cref="DistillationExperiment"/>): a teacher, and
/// the same student trained with and without its soft targets, over several seeds.</summary>
public sealed class DistillCommand : ICommand
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
          --seeds N                         seeds 0..N−1 [3]
          --out DIR                         run directory: config.json, seeds/seed-N.json as each seed
                                            finishes, result.json at the end [runs/distill-<time>]
          --json                            one JSON object per seed
        """;

    private static readonly string[] Known = ["dataset", "teacher", "student", "teacher-steps", "student-steps", "batch-size", "lr", "temperature", "alpha", "teacher-dropout", "seeds", "out", "resume"];

    /// <inheritdoc/>
    public string Name => "distill";

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
            var (directory, config) = Prepare(settings);
            var options = config.Options;
            int seeds = config.Seeds;
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            var data = MetaCommand.LoadImages(store, config.Dataset);
            var largest = options.Teacher.Sum(w => (long)w) >= options.Student.Sum(w => (long)w) ? options.Teacher : options.Student;
            MemoryEstimate.Of(MlpModelOptions.Parameters(data.Shape.Size, largest, data.ClassCount, 1), options.BatchSize, largest.Max(), 1).Check("the teacher", null);
            var runs = new List<DistillationRun>();
            var progress = PhaseProgress.OnStandardError(error);
            if (!settings.Has("resume")) directory.Start(config with { Provenance = RunProvenance.Capture(store.Loaded) });
            for (ulong seed = 0; seed < (ulong)seeds; seed++)
            {
                var run = directory.LoadSeed(seed);
                if (run is null)
                {
                    run = DistillationExperiment.Run(data, options, seed, line => error.WriteLine(line), progress.Report);
                    directory.SaveSeed(run);
                }
                else error.WriteLine($"seed {seed}: finished earlier ({directory.SeedFile(seed)})");
                runs.Add(run);
                if (settings.Has("json")) output.WriteLine(JsonSerializer.Serialize(run, RunResult.JsonOptions).ReplaceLineEndings(" "));
            }
            directory.SaveResult(DistillationResult.Of(runs));
            error.WriteLine($"run directory: {Path.GetFullPath(directory.Path)}");
            if (!settings.Has("json"))
            {
                output.WriteLine($"teacher {string.Join('×', options.Teacher)} ({runs[0].TeacherParameters:N0} parameters), student {string.Join('×', options.Student)} ({runs[0].StudentParameters:N0}), T = {options.Temperature}, α = {options.Alpha}, {seeds} seeds");
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
        catch (Exception e) when (e is InvalidDataException or NotFiniteNumberException)
        {
            error.WriteLine($"lifelong distill: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <summary>The run directory and its resolved settings: from the command line for a new run (refusing a directory that
    /// already holds one), from <c>config.json</c> for <c>--resume DIR</c> (which takes no other settings).</summary>
    private static (DistillationDirectory Directory, DistillationConfig Config) Prepare(SettingArgs settings)
    {
        if (settings.Has("resume"))
        {
            var given = Known.Where(k => k != "resume" && settings.Has(k)).ToList();
            if (given.Count > 0)
                throw new ConfigurationException($"--resume takes its settings from the run's config.json; drop --{string.Join(", --", given)} (or start a new run with --out).");
            string path = settings.Get("resume", "");
            if (!Directory.Exists(path)) throw new ConfigurationException($"--resume {path}: no such directory.");
            var resumed = new DistillationDirectory(path);
            var config = resumed.LoadConfig();
            SettingArgs.Validate(config.Options);
            return (resumed, config);
        }
        var options = new DistillationOptions(settings.Widths("teacher", [1200, 1200]), settings.Widths("student", [30]),
            settings.Get("teacher-steps", 3_000), settings.Get("student-steps", 3_000), settings.Get("batch-size", 128), settings.Get("lr", 1e-3),
            settings.Get("temperature", 4f), settings.Get("alpha", 0.9f), settings.Get("teacher-dropout", 0f));
        SettingArgs.Validate(options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
        int seeds = settings.Get("seeds", 3, new PositiveAttribute { Max = 1_000 });
        var directory = new DistillationDirectory(settings.Has("out") ? settings.Get("out", "") : FreeDefault());
        if (File.Exists(directory.ConfigFile))
            throw new ConfigurationException($"{Path.GetFullPath(directory.Path)} already holds a run; continue it with 'lifelong distill --resume {directory.Path}' or choose another --out.");
        return (directory, new DistillationConfig(DistillationDirectory.Kind, settings.Get("dataset", "mnist"), seeds, options, null));
    }

    /// <summary>runs/distill-&lt;time&gt;, with -2, -3, ... when runs started in the same second already hold it.</summary>
    private static string FreeDefault()
    {
        string stem = Path.Combine("runs", $"distill-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        string path = stem;
        for (int n = 2; File.Exists(new DistillationDirectory(path).ConfigFile); n++) path = $"{stem}-{n}";
        return path;
    }
}
