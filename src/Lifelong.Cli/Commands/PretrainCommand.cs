using System.Globalization;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Experiments;
using Lifelong.Pretrained;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong pretrain</c>: train a model on a source dataset in a run directory (<see cref="PretrainExperiment"/>) and
/// save it as safetensors (timm's names for a ViT), to start continual runs from with <c>--model NAME:checkpoint=PATH</c>.</summary>
public sealed class PretrainCommand : IExperimentCommand
{
    private const string Usage = """
        usage: lifelong pretrain [settings...]
               lifelong pretrain --resume DIR   continue an interrupted run with DIR/config.json's settings

          --dataset NAME        source data: fashion-mnist (default), mnist, cifar10, cifar100
          --classes A,B,...     train on these classes only (e.g. 5,6,7,8,9 for a stream on digits 0-4)
          --model NAME[:...]    mlp[:100,100], cnn, vit (default vit)
          --steps N             Adam steps (default 2000)
          --batch-size N        minibatch (default 64)
          --lr X                Adam's learning rate (default 1e-3)
          --seed N              init and data order (default 0)
          --log-every N         a metrics.jsonl line every N steps (default 100)
          --checkpoint-every N  a checkpoint every N steps (default 500)
          --out PATH            a .safetensors file: the backbone goes there and the run directory beside it, PATH
                                without the extension; any other PATH is the run directory, which holds the backbone
                                as backbone.safetensors (default models/<model>-<dataset>[-<classes>].safetensors)
          --data DIR            dataset cache (default $LIFELONG_DATA)
          --max-memory SIZE     refuse a model estimated to need more (default: the memory available), e.g. 64GB

        The head has one output per class of the dataset. A run loads the backbone by parameter name with
        --model NAME[:same options]:checkpoint=PATH (the file, or the run directory); its head is kept when the
        class counts differ.
        """;

    private static readonly string[] Known = ["dataset", "classes", "model", "steps", "batch-size", "lr", "seed", "data", "max-memory", .. ExperimentArgs.RunFlags];

    /// <inheritdoc/>
    public string Name => "pretrain";

    /// <inheritdoc/>
    public string Kind => PretrainExperiment.Kind;

    /// <inheritdoc/>
    public string Summary => "train a source model (ViT, MLP, CNN) on a dataset and save it as safetensors for runs on a pretrained backbone";

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
            var settings = new SettingArgs(args, Known, []);
            long? maxMemory = settings.Has("max-memory") ? MemoryEstimate.ParseSize(settings.Get("max-memory", ""), "--max-memory") : null;
            var store = new DatasetStore(settings.Has("data") ? settings.Get("data", "") : null) { Log = line => error.WriteLine(line) };
            string path;
            JsonObject json;
            if (ExperimentArgs.Resumed(settings, Known.Where(k => k is not ("data" or "max-memory")), Kind) is { } resumed) (path, json) = resumed;
            else
            {
                json = Resolve(settings);
                string? given = settings.Has("out") ? settings.Get("out", "") : null;
                string backbone = given ?? Path.Combine("models", DefaultName(json) + ".safetensors");
                bool file = backbone.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
                path = file ? backbone[..^".safetensors".Length] : backbone;
                if (file) json["backbone"] = backbone;
            }
            var progress = PhaseProgress.OnStandardOutput(output);
            using var interrupt = Interruption.OnSigint(path, error, "pretrain");
            var result = Execute(json, path, settings.Has("resume"), store, output, maxMemory, (step, total, loss) => progress.Report("pretraining", step, total, $"loss {loss:F4}"));
            string backbonePath = result.Backbone == PretrainedCheckpoint.BackboneFile ? Path.Combine(path, result.Backbone) : result.Backbone;
            output.WriteLine($"test accuracy {result.TestAccuracy:P2} on {result.Dataset}; saved {backbonePath}");
            output.WriteLine($"use it with: --model {result.Model}{(result.Model.Contains(':', StringComparison.Ordinal) ? "," : ":")}checkpoint={backbonePath}");
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or FormatException)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}\n{Usage}");
            return ExitCode.Usage;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is DatasetException or IOException or InvalidDataException or NotFiniteNumberException)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
    }

    /// <inheritdoc/>
    public JsonObject Resolve(IReadOnlyList<string> args) => Resolve(new SettingArgs(args, [.. Known.Where(k => k is not ("out" or "resume" or "data" or "max-memory"))], []));

    /// <inheritdoc/>
    public void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log) => Execute(config, directory, resume, store, log, null, null);

    private static JsonObject Resolve(SettingArgs settings)
    {
        int[]? classes = settings.Has("classes") ? [.. settings.Get("classes", "").Split(',').Select(c => Int(c, "classes"))] : null;
        var options = new PretrainOptions(Steps: settings.Get("steps", 2000), BatchSize: settings.Get("batch-size", 64), Lr: settings.Get("lr", 1e-3f), Classes: classes);
        SettingArgs.Validate(options);
        string model = settings.Get("model", "vit");
        ComponentSpec.Parse(model, "model");
        var config = new PretrainConfig(PretrainExperiment.Kind, settings.Get("dataset", "fashion-mnist"), model, settings.Get("seed", 0UL), options,
            settings.Get("log-every", 100), settings.Get("checkpoint-every", 500));
        SettingArgs.Validate(config);
        return ExperimentArgs.ToJson(config);
    }

    private static string DefaultName(JsonObject json)
    {
        var config = ExperimentArgs.FromJson<PretrainConfig>(json, ".");
        string name = ComponentSpec.Parse(config.Model, "model").Name;
        return config.Options.Classes is null ? $"{name}-{config.Dataset}" : $"{name}-{config.Dataset}-{string.Join("", config.Options.Classes)}";
    }

    private static PretrainRunResult Execute(JsonObject json, string path, bool resume, DatasetStore store, TextWriter output, long? maxMemory, Action<int, int, double>? progress)
    {
        var config = ExperimentArgs.FromJson<PretrainConfig>(json, path);
        SettingArgs.Validate(config.Options);
        SettingArgs.Validate(config);
        if (resume && File.Exists(Path.Combine(path, "result.json")))
        {
            output.WriteLine($"{Path.GetFullPath(path)}: the run is already complete.");
            return ExperimentArgs.FromJson<PretrainRunResult>(JsonNode.Parse(File.ReadAllText(Path.Combine(path, "result.json")))!.AsObject(), path);
        }
        var spec = ComponentSpec.Parse(config.Model, "model");
        var data = store.Load(config.Dataset);
        var entry = ModelCatalog.Get(spec.Name);
        long parameters = entry.ParameterCount(spec, data.Shape, data.ClassCount);
        MemoryEstimate.Of(parameters, config.Options.BatchSize, data.Shape.Size, 1).Check($"model '{config.Model}'", maxMemory);
        var classes = config.Options.Classes;
        output.WriteLine($"pretraining {config.Model} ({parameters:N0} parameters) on {config.Dataset}{(classes is null ? "" : $" classes {string.Join(",", classes)}")} for {config.Options.Steps} steps");
        if (!resume) config = config with { Out = path, Provenance = RunProvenance.Capture(store.Loaded) };
        using var run = resume ? ExperimentRun.Resume(path, json) : ExperimentRun.Start(path, ExperimentArgs.ToJson(config));
        if (run.Resumed is { } state) output.WriteLine($"{run.Directory.Path}: resuming from its checkpoint at step {state.Progress["step"]}");
        var result = PretrainExperiment.Run(run, config, data, progress);
        output.WriteLine(ExperimentArgs.Finished(run));
        return result;
    }

    private static int Int(string text, string what) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ConfigurationException($"--{what}: '{text}' is not an integer.");
}
