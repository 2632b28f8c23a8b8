using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Pretrained;
using Lifelong.Runs;
using Lifelong.Tensors;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong pretrain</c>: train a model on a source dataset and save it as safetensors (timm's names for a ViT),
/// to start continual runs from with <c>--model NAME:checkpoint=PATH</c>.</summary>
public sealed class PretrainCommand : ICommand
{
    private const string Usage = """
        usage: lifelong pretrain [settings...]

          --dataset NAME        source data: fashion-mnist (default), mnist, cifar10, cifar100
          --classes A,B,...     train on these classes only (e.g. 5,6,7,8,9 for a stream on digits 0-4)
          --model NAME[:...]    mlp[:100,100], cnn, vit (default vit)
          --steps N             Adam steps (default 2000)
          --batch-size N        minibatch (default 64)
          --lr X                Adam's learning rate (default 1e-3)
          --seed N              init and data order (default 0)
          --out PATH            the .safetensors file (default models/<model>-<dataset>[-<classes>].safetensors)
          --data DIR            dataset cache (default $LIFELONG_DATA)
          --max-memory SIZE     refuse a model estimated to need more (default: the memory available), e.g. 64GB

        The head has one output per class of the dataset. A run loads the file by parameter name with
        --model NAME[:same options]:checkpoint=PATH; its head is kept when the class counts differ.
        """;

    /// <inheritdoc/>
    public string Name => "pretrain";

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
            string dataset = settings.Get("dataset", "fashion-mnist");
            string model = settings.Get("model", "vit");
            int[]? classes = settings.Has("classes") ? [.. settings.Get("classes", "").Split(',').Select(c => Int(c, "classes"))] : null;
            var options = new PretrainOptions(Steps: settings.Get("steps", 2000), BatchSize: settings.Get("batch-size", 64), Lr: settings.Get("lr", 1e-3f), Classes: classes);
            SettingArgs.Validate(options);
            ulong seed = settings.Get("seed", 0UL);
            var spec = ComponentSpec.Parse(model, "model");
            string name = classes is null ? $"{spec.Name}-{dataset}" : $"{spec.Name}-{dataset}-{string.Join("", classes)}";
            string path = settings.Get("out", Path.Combine("models", name + ".safetensors"));
            long? maxMemory = settings.Has("max-memory") ? MemoryEstimate.ParseSize(settings.Get("max-memory", ""), "--max-memory") : null;

            var store = new DatasetStore(settings.Has("data") ? settings.Get("data", "") : null) { Log = line => error.WriteLine(line) };
            var data = store.Load(dataset);
            var entry = ModelCatalog.Get(spec.Name);
            MemoryEstimate.Of(entry.ParameterCount(spec, data.Shape, data.ClassCount), options.BatchSize, data.Shape.Size, 1).Check($"model '{model}'", maxMemory);
            var rng = new Rng(seed);
            var network = entry.Create(spec, data.Shape, data.ClassCount, rng.Split("init"));
            output.WriteLine($"pretraining {model} ({network.ParameterCount:N0} parameters) on {dataset}{(classes is null ? "" : $" classes {string.Join(",", classes)}")} for {options.Steps} steps");
            var progress = PhaseProgress.OnStandardOutput(output);
            var result = Pretraining.Train(network, data, entry.FlatInputs, options, rng.Split("pretrain"), (step, loss) => progress.Report("pretraining", step, options.Steps, $"loss {loss:F4}"));
            PretrainedCheckpoint.Save(network, path, new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["lifelong.model"] = model,
                ["lifelong.dataset"] = dataset,
                ["lifelong.classes"] = classes is null ? "all" : string.Join(",", classes),
                ["lifelong.steps"] = options.Steps.ToString(CultureInfo.InvariantCulture),
                ["lifelong.seed"] = seed.ToString(CultureInfo.InvariantCulture),
                ["lifelong.test_accuracy"] = result.TestAccuracy.ToString("F4", CultureInfo.InvariantCulture),
            });
            output.WriteLine($"test accuracy {result.TestAccuracy:P2} on {dataset}; saved {path}");
            output.WriteLine($"use it with: --model {model}{(model.Contains(':', StringComparison.Ordinal) ? "," : ":")}checkpoint={path}");
            return ExitCode.Ok;
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}\n{Usage}");
            return ExitCode.Usage;
        }
        catch (FormatException e)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}\n{Usage}");
            return ExitCode.Usage;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is DatasetException or IOException or InvalidDataException)
        {
            error.WriteLine($"lifelong pretrain: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
    }

    private static readonly string[] Known = ["dataset", "classes", "model", "steps", "batch-size", "lr", "seed", "out", "data", "max-memory"];

    private static int Int(string text, string what) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ConfigurationException($"--{what}: '{text}' is not an integer.");
}
