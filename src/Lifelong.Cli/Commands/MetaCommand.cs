using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Experiments;
using Lifelong.Meta;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong meta few-shot ...</c>: meta-train a learner on one pool of classes and score it on N-way K-shot
/// episodes of classes it never saw (<see cref="FewShotBenchmark"/>), in a run directory (<see cref="MetaExperiment"/>).</summary>
public sealed class MetaCommand : IExperimentCommand
{
    private const string Usage = """
        usage: lifelong meta few-shot [settings...]
               lifelong meta few-shot --resume DIR   continue an interrupted run with DIR/config.json's settings

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
          --eval-every N --eval-episodes M  meta-test accuracy on the first M episodes every N iterations [0: never, 100]
          --log-every N                     a metrics.jsonl line every N iterations [50]
          --checkpoint-every N              a checkpoint every N iterations [100]
          --out DIR                         run directory: config.json, metrics.jsonl, checkpoint, model.safetensors,
                                            result.json [runs/meta-<method>-<time>]
          --save PATH                       also save the meta-trained model (safetensors) there — a meta-learned θ₀
                                            for a continual run: --model mlp:100,100,checkpoint=PATH
          --json                            print the result as one JSON object
        """;

    private static readonly string[] Known =
        ["method", "dataset", "ways", "shots", "queries", "iterations", "meta-batch", "inner-lr", "inner-steps", "test-inner-steps", "outer-lr", "hidden", "conv",
         "test-episodes", "seed", "save", "eval-every", "eval-episodes", .. ExperimentArgs.RunFlags];

    /// <inheritdoc/>
    public string Name => "meta";

    /// <inheritdoc/>
    public string Kind => MetaExperiment.Kind;

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
            error.WriteLine($"lifelong meta: unknown subcommand '{args[0]}'.{Spelling.Suggest(args[0], ["few-shot"])}\n{Usage}");
            return ExitCode.Usage;
        }
        try
        {
            var settings = new SettingArgs(args.Skip(1), Known, ["json"]);
            var resumed = ExperimentArgs.Resumed(settings, Known, Kind);
            var (path, json) = resumed ?? (ExperimentArgs.Out(settings, $"meta-{settings.Get("method", FewShotMethod.Maml).ToString().ToLowerInvariant()}"), Resolve(settings));
            var store = new DatasetStore { Log = line => error.WriteLine(line) };
            using var interrupt = Interruption.OnSigint(path, error, "meta few-shot");
            var result = Execute(json, path, resumed is not null, store, error, PhaseProgress.OnStandardError(error));
            if (settings.Has("json")) output.WriteLine(JsonSerializer.Serialize(result, RunResult.JsonOptions).ReplaceLineEndings(" "));
            else
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{result.Method} {result.Ways}-way {result.Shots}-shot: accuracy {result.Accuracy:F4} ± {result.Interval95:F4} (95 %, {result.Episodes} episodes), {result.WallSeconds:F1} s"));
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is ConfigurationException or ArgumentException or DatasetException)
        {
            error.WriteLine($"lifelong meta: {ConfigurationException.Plain(e)}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is InvalidDataException or NotFiniteNumberException or IOException)
        {
            error.WriteLine($"lifelong meta: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <inheritdoc/>
    public JsonObject Resolve(IReadOnlyList<string> args) => Resolve(new SettingArgs(args, Known.Except(ExperimentArgs.RunFlags.Where(f => f != "checkpoint-every" && f != "log-every")).ToList(), []));

    /// <inheritdoc/>
    public void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log) => Execute(config, directory, resume, store, log, null);

    private static JsonObject Resolve(SettingArgs settings)
    {
        T Get<T>(string key, T fallback) => settings.Get(key, fallback);
        var options = new FewShotBenchmarkOptions(Get("method", FewShotMethod.Maml), Get("iterations", 2_000), Get("meta-batch", 4), Get("inner-lr", 0.4f), Get("inner-steps", 1),
            Get("test-inner-steps", 3), Get("outer-lr", 1e-3f), settings.Has("hidden") ? settings.Widths("hidden", []) : null, Get("conv", 0));
        SettingArgs.Validate(options, new Dictionary<string, string> { ["conv-filters"] = "conv" });
        if (options.ConvFilters == 0) options = options with { Hidden = options.Hidden ?? FewShotBenchmark.DefaultHidden };
        long episodeCount = (long)options.Iterations * options.MetaBatch;
        if (episodeCount > int.MaxValue) throw new ConfigurationException($"--iterations × --meta-batch = {episodeCount:N0} episodes; at most {int.MaxValue:N0}.");
        var episodeOptions = new FewShotOptions(Get("ways", 5), Get("shots", 1), Get("queries", 15), Episodes: (int)episodeCount, TestEpisodes: Get("test-episodes", 600));
        SettingArgs.Validate(episodeOptions);
        var config = new MetaConfig(MetaExperiment.Kind, Get("dataset", "mnist+fashion-mnist"), episodeOptions.Ways, episodeOptions.Shots, episodeOptions.Queries, episodeOptions.TestEpisodes,
            Get("seed", 0UL), options, Get("log-every", 50), Get("eval-every", 0), Get("eval-episodes", 100), Get("checkpoint-every", 100), settings.Has("save") ? Get("save", "") : null);
        SettingArgs.Validate(config);
        return ExperimentArgs.ToJson(config);
    }

    private static MetaResult Execute(JsonObject json, string path, bool resume, DatasetStore store, TextWriter error, PhaseProgress? progress)
    {
        var config = ExperimentArgs.FromJson<MetaConfig>(json, path);
        SettingArgs.Validate(config.Options, new Dictionary<string, string> { ["conv-filters"] = "conv" });
        SettingArgs.Validate(config);
        if (resume && File.Exists(Path.Combine(path, "result.json")))
        {
            error.WriteLine($"{Path.GetFullPath(path)}: the run is already complete.");
            return ExperimentArgs.FromJson<MetaResult>(JsonNode.Parse(File.ReadAllText(Path.Combine(path, "result.json")))!.AsObject(), path);
        }
        var options = config.Options;
        var images = LoadImages(store, config.Dataset);
        long parameters = options.ConvFilters > 0
            ? 9L * images.Shape.Channels * options.ConvFilters + 3 * 9L * options.ConvFilters * options.ConvFilters + (long)options.ConvFilters * config.Ways
            : MlpModelOptions.Parameters(images.Shape.Size, options.Hidden ?? FewShotBenchmark.DefaultHidden, config.Ways, 1);
        MemoryEstimate.Of(parameters, (long)config.Ways * (config.Shots + config.Queries) * options.MetaBatch, images.Shape.Size, 1).Check("the meta-learner", null);
        var episodes = MetaExperiment.Episodes(config, images);
        error.WriteLine($"{options.Method}: {config.Ways}-way {config.Shots}-shot on {config.Dataset}; meta-train classes [{string.Join(' ', episodes.MetaTrainPool)}], meta-test classes [{string.Join(' ', episodes.MetaTestPool)}]");
        if (!resume) config = config with { Out = path, Provenance = RunProvenance.Capture(store.Loaded) };
        using var run = resume ? ExperimentRun.Resume(path, json) : ExperimentRun.Start(path, ExperimentArgs.ToJson(config));
        if (run.Resumed is { } state) error.WriteLine($"{run.Directory.Path}: resuming from its checkpoint at iteration {state.Progress["iteration"]}");
        var result = MetaExperiment.Run(run, config, episodes, progress is null ? null : progress.Report);
        error.WriteLine(ExperimentArgs.Finished(run));
        return result;
    }

    /// <summary>A dataset of the store, or several joined with '+' (their classes numbered one after another).</summary>
    internal static TrainTestSplit LoadImages(DatasetStore store, string names)
    {
        var parts = names.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(store.Load).ToArray();
        if (parts.Length == 1) return parts[0];
        return new TrainTestSplit(Dataset.Concat(names + "/train", [.. parts.Select(p => p.Train)]), Dataset.Concat(names + "/test", [.. parts.Select(p => p.Test)]));
    }
}
