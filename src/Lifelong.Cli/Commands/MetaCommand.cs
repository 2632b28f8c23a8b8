using System.Globalization;
using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Meta;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong meta few-shot ...</c>: meta-train a learner on one pool of classes and score it on N-way K-shot
/// episodes of classes it never saw (<see cref="FewShotBenchmark"/>).</summary>
public sealed class MetaCommand : ICommand
{
    private const string Usage = """
        usage: lifelong meta few-shot [settings...]

        settings (defaults in brackets):
          --method maml|fomaml|meta-sgd|anil|reptile|proto-net|pretrain   [maml]
          --dataset mnist|fashion-mnist|mnist+fashion-mnist
                                            the images; the classes are split at random (by the seed) into equal
                                            meta-train and meta-test pools; the 20 classes of both datasets give
                                            10 unseen classes at meta-test [mnist+fashion-mnist]
          --ways N --shots K --queries Q    N-way K-shot episodes with Q queries per class [5, 1, 15]
          --iterations N --meta-batch B     meta-iterations (pretrain: steps) and episodes per iteration [2000, 4]
          --inner-lr A --inner-steps K      inner SGD step size and steps at meta-training [0.4, 1]
          --test-inner-steps K              inner steps on each meta-test support set [3]
          --outer-lr B                      Adam's step size outside [1e-3]
          --hidden 256,128,64               the MLP's hidden widths
          --conv F                          MAML's conv net (4 × [3×3 conv F filters, BatchNorm, ReLU, 2×2 max-pool]) instead of the MLP
          --test-episodes N                 meta-test episodes [600]
          --seed N                          [0]
          --save PATH                       save the meta-trained model (safetensors) — a meta-learned θ₀ for a
                                            continual run: --model mlp:100,100,checkpoint=PATH
          --json                            print the result as one JSON object
        """;

    /// <inheritdoc/>
    public string Name => "meta";

    /// <inheritdoc/>
    public string Summary => "meta-learning: few-shot classification on classes unseen in meta-training (MAML, FOMAML, Meta-SGD, ANIL, Reptile, ProtoNets, pretrain + fine-tune)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "help" || args.Any(a => a is "--help" or "-h"))
        {
            (args.Count == 0 ? error : output).WriteLine(Usage);
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        if (args[0] != "few-shot")
        {
            error.WriteLine($"lifelong meta: unknown subcommand '{args[0]}'.{Lifelong.Catalog.Spelling.Suggest(args[0], ["few-shot"])}\n{Usage}");
            return ExitCode.Usage;
        }
        try
        {
            var settings = new SettingArgs(args.Skip(1), Known, ["json"]);
            T Get<T>(string key, T fallback) => settings.Get(key, fallback);
            var method = Get("method", FewShotMethod.Maml);
            string dataset = Get("dataset", "mnist+fashion-mnist");
            var options = new FewShotBenchmarkOptions(method, Get("iterations", 2_000), Get("meta-batch", 4), Get("inner-lr", 0.4f), Get("inner-steps", 1),
                Get("test-inner-steps", 3), Get("outer-lr", 1e-3f), settings.Has("hidden") ? settings.Widths("hidden", []) : null, Get("conv", 0));
            SettingArgs.Validate(options, new Dictionary<string, string> { ["conv-filters"] = "conv" });
            long episodeCount = (long)options.Iterations * options.MetaBatch;
            if (episodeCount > int.MaxValue) throw new ConfigurationException($"--iterations × --meta-batch = {episodeCount:N0} episodes; at most {int.MaxValue:N0}.");
            var episodeOptions = new FewShotOptions(Get("ways", 5), Get("shots", 1), Get("queries", 15), Episodes: (int)episodeCount, TestEpisodes: Get("test-episodes", 600));
            SettingArgs.Validate(episodeOptions);
            int ways = episodeOptions.Ways, shots = episodeOptions.Shots;
            ulong seed = Get("seed", 0UL);
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            var images = LoadImages(store, dataset);
            long parameters = options.ConvFilters > 0
                ? 9L * images.Shape.Channels * options.ConvFilters + 3 * 9L * options.ConvFilters * options.ConvFilters + (long)options.ConvFilters * ways
                : MlpModelOptions.Parameters(images.Shape.Size, options.Hidden ?? FewShotBenchmark.DefaultHidden, ways, 1);
            MemoryEstimate.Of(parameters, (long)ways * (shots + episodeOptions.Queries) * options.MetaBatch, images.Shape.Size, 1).Check("the meta-learner", null);
            var episodes = new FewShotEpisodes(images, seed, episodeOptions);
            error.WriteLine($"{method}: {ways}-way {shots}-shot on {dataset}; meta-train classes [{string.Join(' ', episodes.MetaTrainPool)}], meta-test classes [{string.Join(' ', episodes.MetaTestPool)}]");
            var progress = PhaseProgress.OnStandardError(error);
            var result = FewShotBenchmark.Run(episodes, options, seed, line => error.WriteLine(line), settings.Has("save") ? settings.Get("save", "") : null, progress.Report);
            if (settings.Has("json")) output.WriteLine(JsonSerializer.Serialize(result, RunResult.JsonOptions).ReplaceLineEndings(" "));
            else
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{method} {ways}-way {shots}-shot: accuracy {result.Accuracy:F4} ± {result.Interval95:F4} (95 %, {result.Episodes} episodes), {result.SecondsPerIteration * 1000:F1} ms per meta-iteration"));
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or DatasetException)
        {
            error.WriteLine($"lifelong meta: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or NotFiniteNumberException)
        {
            error.WriteLine($"lifelong meta: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <summary>A dataset of the store, or several joined with '+' (their classes numbered one after another).</summary>
    internal static TrainTestSplit LoadImages(DatasetStore store, string names)
    {
        var parts = names.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(store.Load).ToArray();
        if (parts.Length == 1) return parts[0];
        return new TrainTestSplit(Dataset.Concat(names + "/train", [.. parts.Select(p => p.Train)]), Dataset.Concat(names + "/test", [.. parts.Select(p => p.Test)]));
    }

    private static readonly string[] Known =
        ["method", "dataset", "ways", "shots", "queries", "iterations", "meta-batch", "inner-lr", "inner-steps", "test-inner-steps", "outer-lr", "hidden", "conv", "test-episodes", "seed", "save"];
}
