using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Results;

namespace Lifelong.Experiments;

/// <summary>The fully resolved settings of a <c>lifelong pretrain</c> run, as its <c>config.json</c> holds them.</summary>
/// <param name="Kind">Always <c>pretrain</c>.</param>
/// <param name="Dataset">The source dataset.</param>
/// <param name="Model">The model spec (<c>vit</c>, <c>mlp:100</c>, ...).</param>
/// <param name="Seed">Init (stream <c>init</c>) and data order (stream <c>pretrain/data</c>).</param>
/// <param name="Options">Steps, batch size, learning rate, classes.</param>
/// <param name="LogEvery">A <c>pretrain_step</c> line every this many steps (the window's mean loss).</param>
/// <param name="CheckpointEvery">A checkpoint every this many steps; may change on resume.</param>
/// <param name="Backbone">Where the trained model is also written (the <c>.safetensors</c> that <c>--out FILE.safetensors</c>
/// names); null: only in the run directory, as <c>backbone.safetensors</c>.</param>
/// <param name="Out">The run directory; may change on resume.</param>
/// <param name="Provenance">Where it ran.</param>
public sealed record PretrainConfig(string Kind, string Dataset, string Model, ulong Seed, PretrainOptions Options,
    [Positive] int LogEvery = 100, [NonNegative] int CheckpointEvery = 500, string? Backbone = null, string? Out = null, RunProvenance? Provenance = null);

/// <summary>The <c>result.json</c> of a <c>lifelong pretrain</c> run (docs/experiments.md).</summary>
/// <param name="Kind">Always <c>pretrain</c>.</param> <param name="Model">The model spec.</param> <param name="Dataset">The source dataset.</param>
/// <param name="Seed">The seed.</param> <param name="Steps">Adam steps.</param> <param name="Parameters">The model's parameter count.</param>
/// <param name="FinalLoss">Mean cross-entropy over the last logged window (the last <c>log_every</c> steps).</param>
/// <param name="TestAccuracy">Accuracy on the source test set (restricted to the classes).</param>
/// <param name="TrainImages">Training images used.</param>
/// <param name="Backbone">The trained model's file, to start runs from (<c>--model MODEL,checkpoint=PATH</c>): the <c>--out</c> file, else <c>backbone.safetensors</c> in the run directory.</param>
/// <param name="WallSeconds">Wall time over all sessions (never compared).</param> <param name="Provenance">Where it finished.</param>
public sealed record PretrainRunResult(string Kind, string Model, string Dataset, ulong Seed, int Steps, long Parameters, double FinalLoss, double TestAccuracy, int TrainImages,
    string Backbone, double WallSeconds, RunProvenance? Provenance);

/// <summary>A <c>lifelong pretrain</c> run in its run directory: <see cref="Pretraining"/>'s supervised training with a
/// <c>metrics.jsonl</c> line every <see cref="PretrainConfig.LogEvery"/> steps and a checkpoint (model, Adam, data order)
/// every <see cref="PretrainConfig.CheckpointEvery"/>; the backbone lands in the directory as <c>backbone.safetensors</c>.</summary>
public static class PretrainExperiment
{
    /// <summary>The experiment kind.</summary>
    public const string Kind = "pretrain";

    /// <summary>Runs (or continues) <paramref name="config"/> in <paramref name="run"/> on <paramref name="data"/>.</summary>
    /// <exception cref="NotFiniteNumberException">The loss became NaN or infinite.</exception>
    public static PretrainRunResult Run(ExperimentRun run, PretrainConfig config, TrainTestSplit data, Action<int, int, double>? progress = null)
    {
        var spec = ComponentSpec.Parse(config.Model, "model");
        var entry = ModelCatalog.Get(spec.Name);
        var rng = new Rng(config.Seed);
        var network = entry.Create(spec, data.Shape, data.ClassCount, rng.Split("init"));
        var options = config.Options;
        var train = Pretraining.Restrict(data.Train, options.Classes);
        var test = Pretraining.Restrict(data.Test, options.Classes);
        var optimizer = new Adam(network.Parameters(), lr: options.Lr);
        var loader = new DataLoader(train, options.BatchSize, rng.Split("pretrain").Split("data"), new DataLoaderOptions(Flatten: entry.FlatInputs));
        network.Train();
        int start = 0, window = 0;
        double windowLoss = 0, lastLoss = 0;
        if (run.Resumed is { } resumed)
        {
            resumed.Restore("model", network);
            resumed.Restore("optimizer", optimizer);
            var p = resumed.Progress;
            loader.SetState(ExperimentCheckpoint.Read<DataLoaderState>(p, "loader"));
            (start, window, windowLoss, lastLoss) = (Read<int>(p, "step"), Read<int>(p, "window"), Read<double>(p, "window_loss"), Read<double>(p, "last_loss"));
        }
        for (int step = start + 1; step <= options.Steps; step++)
        {
            var batch = loader.Next();
            var loss = F.CrossEntropy(network.Forward(batch.ToTensor()), batch.Labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            float value = loss.Item();
            if (!float.IsFinite(value))
            {
                run.Log(new { Event = "diverged", Step = step, TotalSteps = step, Loss = value });
                throw new NotFiniteNumberException($"pretraining diverged at step {step} of {options.Steps}: the loss is {value}. Lower the learning rate (--lr).", value);
            }
            (windowLoss, window) = (windowLoss + value, window + 1);
            if (step % config.LogEvery == 0 || step == options.Steps)
            {
                lastLoss = windowLoss / window;
                run.Log(new { Event = "pretrain_step", Step = step, TotalSteps = step, Loss = lastLoss });
                progress?.Invoke(step, options.Steps, lastLoss);
                (windowLoss, window) = (0, 0);
            }
            if (step < options.Steps && config.CheckpointEvery > 0 && step % config.CheckpointEvery == 0)
            {
                var state = new ExperimentState(new JsonObject
                {
                    ["step"] = step,
                    ["window"] = window,
                    ["window_loss"] = windowLoss,
                    ["last_loss"] = lastLoss,
                    ["loader"] = JsonSerializer.SerializeToNode(loader.GetState(), RunResult.JsonOptions),
                });
                run.Checkpoint(state.With("model", network).With("optimizer", optimizer));
            }
        }
        double accuracy = Pretraining.Accuracy(network, test, entry.FlatInputs);
        run.Log(new { Event = "pretrain_test", Step = options.Steps, TotalSteps = options.Steps, Accuracy = accuracy });
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["lifelong.model"] = config.Model,
            ["lifelong.dataset"] = config.Dataset,
            ["lifelong.classes"] = options.Classes is null ? "all" : string.Join(",", options.Classes),
            ["lifelong.steps"] = options.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["lifelong.seed"] = config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["lifelong.test_accuracy"] = accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture),
        };
        string backbone = Path.Combine(run.Directory.Path, PretrainedCheckpoint.BackboneFile);
        PretrainedCheckpoint.Save(network, backbone, metadata);
        if (config.Backbone is not null) PretrainedCheckpoint.Save(network, config.Backbone, metadata);
        var result = new PretrainRunResult(Kind, config.Model, config.Dataset, config.Seed, options.Steps, network.ParameterCount, lastLoss, accuracy, train.Count,
            config.Backbone ?? PretrainedCheckpoint.BackboneFile, run.WallSeconds, RunProvenance.Capture(config.Provenance?.Datasets ?? []));
        run.Finish(result);
        return result;
    }

    private static T Read<T>(JsonObject progress, string key) => ExperimentCheckpoint.Read<T>(progress, key);
}
