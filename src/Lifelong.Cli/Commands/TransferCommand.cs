using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Experiments;
using Lifelong.Pretrained;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Tensors;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong transfer ...</c>: a pretrained checkpoint fine-tuned and linearly probed on K examples per target
/// class, against the same architecture trained from scratch (<see cref="TransferExperiment"/>), in a run directory (<see cref="TransferRun"/>).</summary>
public sealed class TransferCommand : IExperimentCommand
{
    private const string Usage = """
        usage: lifelong transfer --model NAME:...,checkpoint=PATH [settings...]
               lifelong transfer --resume DIR    rerun only the seeds DIR lacks, with DIR/config.json's settings

        settings (defaults in brackets):
          --model SPEC          the pretrained model, as `lifelong run` takes it, with checkpoint=PATH (from `lifelong pretrain`)
          --dataset NAME        the target data [mnist]
          --classes A,B,...     target classes, labels unchanged [all]
          --shots 1,5,10,100    K: training images per class, one row each [1,5,10,100]
          --steps N             Adam steps on the K-shot set [300]
          --batch-size N        [32]
          --lr A                Adam's step size [1e-3]
          --seeds N --first-seed S  seeds S..S+N−1 (each draws its own K-shot sets) [3, 0]
          --out DIR             run directory: config.json, metrics.jsonl, a checkpoint after each seed,
                                result.json [runs/transfer-<time>]
          --json                one JSON object per result
        """;

    private static readonly string[] Known = ["model", "dataset", "classes", "shots", "steps", "batch-size", "lr", "seeds", "first-seed", "out", "resume"];

    /// <inheritdoc/>
    public string Name => "transfer";

    /// <inheritdoc/>
    public string Kind => TransferRun.Kind;

    /// <inheritdoc/>
    public string Summary => "transfer learning: fine-tune and linear-probe a pretrained checkpoint on K shots per class, against training from scratch";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args.Any(a => a is "--help" or "-h"))
        {
            (args.Count == 0 ? error : output).WriteLine(Usage);
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        try
        {
            var settings = new SettingArgs(args, Known, ["json"]);
            var resumed = ExperimentArgs.Resumed(settings, Known, Kind);
            var (path, json) = resumed ?? (ExperimentArgs.Out(settings, "transfer"), Resolve(settings));
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            using var interrupt = Interruption.OnSigint(path, error, "transfer");
            var result = Execute(json, path, resumed is not null, store, error, PhaseProgress.OnStandardError(error));
            if (settings.Has("json")) foreach (var r in result.Runs) output.WriteLine(JsonSerializer.Serialize(r, RunResult.JsonOptions).ReplaceLineEndings(" "));
            else PrintTable(result, output);
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or DatasetException)
        {
            error.WriteLine($"lifelong transfer: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            error.WriteLine($"lifelong transfer: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
        catch (NotFiniteNumberException e)
        {
            error.WriteLine($"lifelong transfer: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <inheritdoc/>
    public JsonObject Resolve(IReadOnlyList<string> args) => Resolve(new SettingArgs(args, [.. Known.Where(k => k is not ("out" or "resume"))], []));

    /// <inheritdoc/>
    public void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log) => Execute(config, directory, resume, store, log, null);

    private static JsonObject Resolve(SettingArgs settings)
    {
        if (!settings.Has("model")) throw new ConfigurationException("--model is required: the pretrained model with checkpoint=PATH (see lifelong pretrain).");
        var model = ComponentSpec.Parse(settings.Get("model", ""), "model");
        if (!model.Options.ContainsKey(ModelEntry.CheckpointOption))
            throw new ConfigurationException($"transfer: the model needs a pretrained checkpoint ({model.Name}:...,{ModelEntry.CheckpointOption}=PATH).");
        var options = new TransferOptions(settings.Widths("shots", [1, 5, 10, 100]), settings.Get("steps", 300), settings.Get("batch-size", 32),
            settings.Get("lr", 1e-3), settings.Has("classes") ? ParseClasses(settings.Get("classes", "")) : null);
        SettingArgs.Validate(options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
        var config = new TransferConfig(TransferRun.Kind, settings.Get("model", ""), settings.Get("dataset", "mnist"), settings.Get("first-seed", 0UL), settings.Get("seeds", 3), options);
        SettingArgs.Validate(config);
        return ExperimentArgs.ToJson(config);
    }

    private static TransferRunResult Execute(JsonObject json, string path, bool resume, DatasetStore store, TextWriter error, PhaseProgress? progress)
    {
        var config = ExperimentArgs.FromJson<TransferConfig>(json, path);
        SettingArgs.Validate(config.Options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
        SettingArgs.Validate(config);
        if (resume && File.Exists(Path.Combine(path, "result.json")))
        {
            error.WriteLine($"{Path.GetFullPath(path)}: the run is already complete.");
            return ExperimentArgs.FromJson<TransferRunResult>(JsonNode.Parse(File.ReadAllText(Path.Combine(path, "result.json")))!.AsObject(), path);
        }
        var model = ComponentSpec.Parse(config.Model, "model");
        var target = MetaCommand.LoadImages(store, config.Dataset);
        MemoryEstimate.Of(ModelCatalog.Get(model.Name).ParameterCount(model, target.Shape, target.ClassCount), config.Options.BatchSize, target.Shape.Size, 1).Check($"model '{config.Model}'", null);
        // The checkpoint is loaded before anything is written, so a file that does not fit leaves no run directory behind.
        ModelCatalog.Get(model.Name).Create(model, target.Shape, target.ClassCount, new Rng(0));
        if (!resume) config = config with { Out = path, Provenance = RunProvenance.Capture(store.Loaded) };
        using var run = resume ? ExperimentRun.Resume(path, json) : ExperimentRun.Start(path, ExperimentArgs.ToJson(config));
        var result = TransferRun.Run(run, config, target, progress is null ? null : progress.Report);
        error.WriteLine(ExperimentArgs.Finished(run));
        return result;
    }

    private static void PrintTable(TransferRunResult result, TextWriter output)
    {
        output.WriteLine($"test accuracy, mean ± std over {result.Runs.Select(r => r.Seed).Distinct().Count()} seeds");
        output.WriteLine($"| K | {string.Join(" | ", Enum.GetValues<TransferRegime>())} |");
        output.WriteLine("|---|" + string.Concat(Enum.GetValues<TransferRegime>().Select(_ => "---|")));
        foreach (var group in result.Runs.GroupBy(r => r.Shots))
        {
            var cells = Enum.GetValues<TransferRegime>().Select(regime => Spread.Format(group.Where(r => r.Regime == regime).Select(r => r.Accuracy), digits: 3));
            output.WriteLine($"| {group.Key} | {string.Join(" | ", cells)} |");
        }
    }

    private static int[] ParseClasses(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var classes = parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) && c >= 0 ? c : -1).ToArray();
        if (classes.Length == 0 || classes.Any(c => c < 0)) throw new ConfigurationException($"--classes {text}: expected class numbers separated by commas, e.g. 0,1,2,3,4.");
        return classes;
    }
}
