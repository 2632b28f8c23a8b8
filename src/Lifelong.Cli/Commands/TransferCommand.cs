using System.Globalization;
using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Pretrained;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong transfer ...</c>: a pretrained checkpoint fine-tuned and linearly probed on K examples per target
/// class, against the same architecture trained from scratch (<see cref="TransferExperiment"/>).</summary>
public sealed class TransferCommand : ICommand
{
    private const string Usage = """
        usage: lifelong transfer --model NAME:...,checkpoint=PATH [settings...]

        settings (defaults in brackets):
          --model SPEC          the pretrained model, as `lifelong run` takes it, with checkpoint=PATH (from `lifelong pretrain`)
          --dataset NAME        the target data [mnist]
          --classes A,B,...     target classes, labels unchanged [all]
          --shots 1,5,10,100    K: training images per class, one row each [1,5,10,100]
          --steps N             Adam steps on the K-shot set [300]
          --batch-size N        [32]
          --lr A                Adam's step size [1e-3]
          --seeds N             seeds 0..N−1 (each draws its own K-shot sets) [3]
          --json                one JSON object per result
        """;

    private static readonly string[] Known = ["model", "dataset", "classes", "shots", "steps", "batch-size", "lr", "seeds"];

    /// <inheritdoc/>
    public string Name => "transfer";

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
            if (!settings.Has("model")) throw new ConfigurationException("--model is required: the pretrained model with checkpoint=PATH (see lifelong pretrain).");
            var model = ComponentSpec.Parse(settings.Get("model", ""), "model");
            var options = new TransferOptions(settings.Widths("shots", [1, 5, 10, 100]), settings.Get("steps", 300), settings.Get("batch-size", 32),
                settings.Get("lr", 1e-3), settings.Has("classes") ? ParseClasses(settings.Get("classes", "")) : null);
            SettingArgs.Validate(options, new Dictionary<string, string> { ["learning-rate"] = "lr" });
            int seeds = settings.Get("seeds", 3, new PositiveAttribute { Max = 1_000 });
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            var target = MetaCommand.LoadImages(store, settings.Get("dataset", "mnist"));
            MemoryEstimate.Of(ModelCatalog.Get(model.Name).ParameterCount(model, target.Shape, target.ClassCount), options.BatchSize, target.Shape.Size, 1).Check($"model '{settings.Get("model", "")}'", null);
            var results = new List<TransferResult>();
            var progress = PhaseProgress.OnStandardError(error);
            for (ulong seed = 0; seed < (ulong)seeds; seed++)
            {
                error.WriteLine($"seed {seed}");
                var run = TransferExperiment.Run(model, target, options, seed, progress.Report);
                results.AddRange(run);
                if (settings.Has("json")) foreach (var r in run) output.WriteLine(JsonSerializer.Serialize(r, RunResult.JsonOptions).ReplaceLineEndings(" "));
            }
            if (!settings.Has("json")) PrintTable(results, seeds, output);
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or DatasetException or InvalidDataException)
        {
            error.WriteLine($"lifelong transfer: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (NotFiniteNumberException e)
        {
            error.WriteLine($"lifelong transfer: {e.Message}");
            return ExitCode.Failure;
        }
    }

    private static void PrintTable(List<TransferResult> results, int seeds, TextWriter output)
    {
        output.WriteLine($"test accuracy, mean ± std over {seeds} seeds");
        output.WriteLine($"| K | {string.Join(" | ", Enum.GetValues<TransferRegime>())} |");
        output.WriteLine("|---|" + string.Concat(Enum.GetValues<TransferRegime>().Select(_ => "---|")));
        foreach (var group in results.GroupBy(r => r.Shots))
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
