using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Pretrained;
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
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            output.WriteLine(Usage);
            return ExitCode.Ok;
        }
        try
        {
            var settings = Parse(args);
            string dataset = settings.GetValueOrDefault("dataset", "fashion-mnist");
            string model = settings.GetValueOrDefault("model", "vit");
            int[]? classes = settings.TryGetValue("classes", out var list) ? [.. list.Split(',').Select(c => Int(c, "classes"))] : null;
            var options = new PretrainOptions(
                Steps: settings.TryGetValue("steps", out var steps) ? Int(steps, "steps") : 2000,
                BatchSize: settings.TryGetValue("batch-size", out var batch) ? Int(batch, "batch-size") : 64,
                Lr: settings.TryGetValue("lr", out var lr) ? float.Parse(lr, CultureInfo.InvariantCulture) : 1e-3f,
                Classes: classes);
            ulong seed = settings.TryGetValue("seed", out var s) ? ulong.Parse(s, CultureInfo.InvariantCulture) : 0;
            var spec = ComponentSpec.Parse(model, "model");
            string name = classes is null ? $"{spec.Name}-{dataset}" : $"{spec.Name}-{dataset}-{string.Join("", classes)}";
            string path = settings.GetValueOrDefault("out", Path.Combine("models", name + ".safetensors"));

            var store = new DatasetStore(settings.GetValueOrDefault("data")) { Log = line => error.WriteLine(line) };
            var data = store.Load(dataset);
            var entry = ModelCatalog.Get(spec.Name);
            var rng = new Rng(seed);
            var network = entry.Create(spec, data.Shape, data.ClassCount, rng.Split("init"));
            output.WriteLine($"pretraining {model} ({network.ParameterCount:N0} parameters) on {dataset}{(classes is null ? "" : $" classes {string.Join(",", classes)}")} for {options.Steps} steps");
            var result = Pretraining.Train(network, data, entry.FlatInputs, options, rng.Split("pretrain"), (step, loss) => output.WriteLine($"  step {step,6}  loss {loss:F4}"));
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
            error.WriteLine($"lifelong pretrain: {e.Message}\n{Usage}");
            return ExitCode.Usage;
        }
        catch (FormatException e)
        {
            error.WriteLine($"lifelong pretrain: {e.Message}\n{Usage}");
            return ExitCode.Usage;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"lifelong pretrain: {e.Message}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is DatasetException or IOException or InvalidDataException)
        {
            error.WriteLine($"lifelong pretrain: {e.Message}");
            return ExitCode.Failure;
        }
    }

    private static Dictionary<string, string> Parse(IReadOnlyList<string> args)
    {
        string[] known = ["dataset", "classes", "model", "steps", "batch-size", "lr", "seed", "out", "data"];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (!flag.StartsWith("--", StringComparison.Ordinal) || !known.Contains(flag[2..]))
                throw new ConfigurationException($"unknown argument '{flag}'.");
            if (i + 1 >= args.Count) throw new ConfigurationException($"{flag} needs a value.");
            settings[flag[2..]] = args[++i];
        }
        return settings;
    }

    private static int Int(string text, string what) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ConfigurationException($"--{what}: '{text}' is not an integer.");
}
