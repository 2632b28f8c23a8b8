using Lifelong.Catalog;
using System.Diagnostics;
using Lifelong.NN;
using Lifelong.Scenarios;

namespace Lifelong.Meta;

/// <summary>The learners <see cref="FewShotBenchmark"/> compares.</summary>
public enum FewShotMethod
{
    /// <summary>MAML with the exact second-order meta-gradient.</summary>
    Maml,

    /// <summary>First-order MAML.</summary>
    Fomaml,

    /// <summary>Meta-SGD: MAML with learned per-element inner step sizes.</summary>
    MetaSgd,

    /// <summary>ANIL: MAML adapting only the head.</summary>
    Anil,

    /// <summary>Reptile, batched, ε annealed from 1 to 0.</summary>
    Reptile,

    /// <summary>Prototypical networks (the MLP's last layer is the embedding).</summary>
    ProtoNet,

    /// <summary>Supervised training on every meta-train class, then a new zero head fine-tuned on each support set.</summary>
    Pretrain,
}

/// <summary>Options of <see cref="FewShotBenchmark"/>.</summary>
/// <param name="Method">The learner.</param>
/// <param name="Iterations">Meta-iterations (pretraining steps for <see cref="FewShotMethod.Pretrain"/>).</param>
/// <param name="MetaBatch">Episodes per meta-iteration (and per pretraining batch).</param>
/// <param name="InnerLr">α of the inner SGD steps, at meta-training and meta-test (MAML's MNIST-scale setting: 0.4 for Omniglot).</param>
/// <param name="InnerSteps">Inner steps at meta-training (Reptile: 5 at least is usual).</param>
/// <param name="TestInnerSteps">Inner steps on each meta-test support set (MAML: 3 for Omniglot at test).</param>
/// <param name="OuterLr">Adam's step size outside (MAML, Meta-SGD, ANIL, ProtoNets, pretraining).</param>
/// <param name="Hidden">Widths of the MLP's hidden layers (MAML's Omniglot MLP: 256, 128, 64, 64).</param>
/// <param name="ConvFilters">Use MAML's convolutional network (<see cref="FewShotConvNet"/>) with this many filters per block instead of the MLP; 0: the MLP.</param>
public sealed record FewShotBenchmarkOptions(
    FewShotMethod Method = FewShotMethod.Maml, [Positive] int Iterations = 2_000, [Positive(Max = 10_000)] int MetaBatch = 4, [Positive] float InnerLr = 0.4f, [NonNegative] int InnerSteps = 1,
    [NonNegative] int TestInnerSteps = 3, [Positive] float OuterLr = 1e-3f, [Positive] int[]? Hidden = null, [NonNegative] int ConvFilters = 0);

/// <summary>What one benchmark run measured on the meta-test episodes.</summary>
/// <param name="Method">The learner.</param>
/// <param name="Ways">N.</param> <param name="Shots">K.</param>
/// <param name="Accuracy">Mean query accuracy over the meta-test episodes.</param>
/// <param name="Interval95">1.96 × standard deviation / √episodes.</param>
/// <param name="Episodes">Meta-test episodes.</param>
/// <param name="SecondsPerIteration">Wall time of one meta-iteration (or pretraining step), averaged over the run.</param>
public sealed record FewShotResult(FewShotMethod Method, int Ways, int Shots, double Accuracy, double Interval95, int Episodes, double SecondsPerIteration);

/// <summary>Few-shot classification on disjoint class pools: meta-train a learner on <see cref="FewShotEpisodes"/>'
/// meta-train episodes, then score it on its meta-test episodes (classes never seen in meta-training).</summary>
/// <remarks>The model is an MLP on flattened images in [0, 1] with N outputs, or MAML's four-block convolutional network
/// (<see cref="FewShotBenchmarkOptions.ConvFilters"/>; ProtoNets then embed with its blocks and a linear layer). Every
/// method sees the same episodes in the same order (the scenario's seed), so methods are compared on equal data.</remarks>
public static class FewShotBenchmark
{
    /// <summary>The MLP's hidden widths when <see cref="FewShotBenchmarkOptions.Hidden"/> is null (a fresh array each time).</summary>
    public static int[] DefaultHidden => [256, 128, 64];

    /// <summary>How the learners of one run build their model and read episodes.</summary>
    /// <param name="Flat">The model takes flattened images (the MLP).</param>
    /// <param name="NewModel">A fresh model with the given number of outputs, initialised from the named stream of the seed.</param>
    internal sealed record Setup(bool Flat, Func<int, string, Module> NewModel);

    /// <summary>The learner of <paramref name="options"/> on <paramref name="episodes"/> with seed <paramref name="seed"/>, before meta-training.</summary>
    public static FewShotLearner Create(FewShotEpisodes episodes, FewShotBenchmarkOptions options, ulong seed)
    {
        var rng = new Rng(seed);
        int ways = episodes.OutputCount;
        var image = episodes.GetTask(0).Train.Shape;
        int[] hidden = options.Hidden ?? DefaultHidden;
        var setup = options.ConvFilters > 0
            ? new Setup(false, (outputs, name) => new FewShotConvNet(image.Channels, image.Height, outputs, rng.Split(name), options.ConvFilters))
            : new Setup(true, (outputs, name) => new Mlp([image.Size, .. hidden, outputs], rng.Split(name)));
        switch (options.Method)
        {
            case FewShotMethod.ProtoNet:
                // The embedding: the MLP's last hidden width as a linear output, or the conv net with a linear layer of its feature width.
                var embedding = setup.NewModel(setup.Flat ? hidden[^1] : options.ConvFilters, "model");
                var adam = new Adam(embedding.Parameters(), lr: options.OuterLr);
                return new ProtoNetLearner(embedding, new PrototypicalNetwork(embedding, adam, setup.Flat), adam, episodes);
            case FewShotMethod.Pretrain:
                // One classifier over every meta-train class, trained on the meta-train episodes' images with their original classes.
                var classifier = setup.NewModel(episodes.MetaTrainPool.Count, "model");
                return new PretrainLearner(classifier, new Adam(classifier.Parameters(), lr: options.OuterLr), setup, options, episodes);
            case FewShotMethod.Reptile:
                var reptileModel = setup.NewModel(ways, "model");
                return new ReptileLearner(reptileModel, new Reptile(reptileModel, new ReptileOptions(options.InnerLr, options.InnerSteps)), setup, options, episodes);
            default:
                var model = setup.NewModel(ways, "model");
                var mamlOptions = new MamlOptions(options.InnerLr, options.InnerSteps, FirstOrder: options.Method == FewShotMethod.Fomaml,
                    LearnInnerLr: options.Method == FewShotMethod.MetaSgd, AdaptOnly: options.Method == FewShotMethod.Anil ? "head" : null);
                Optimizer? outer = null;
                var maml = new Maml(model, p => outer = new Adam(p, lr: options.OuterLr), mamlOptions);
                return new MamlLearner(model, maml, setup, options, episodes, outer!);
        }
    }

    /// <summary>Throws when meta-training left a weight of <paramref name="learner"/> NaN or infinite.</summary>
    /// <exception cref="NotFiniteNumberException">A parameter is NaN or infinite (the step sizes are too large).</exception>
    public static void RequireFinite(FewShotLearner learner, int iterations)
    {
        // Weights that are no longer finite mean the step sizes were too large: every meta-test accuracy would describe a
        // broken network, so none is reported.
        var broken = learner.Model.NamedParameters().FirstOrDefault(p => !System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Parameter.Span));
        if (broken.Parameter is not null)
            throw new NotFiniteNumberException($"meta-training diverged: parameter '{broken.Name}' holds NaN or infinite values after {iterations} iterations. Lower the step sizes (--outer-lr, --inner-lr).", double.NaN);
    }

    /// <summary>Mean query accuracy over <paramref name="accuracies"/> and its 95 % half-width, 1.96 · std / √n.</summary>
    public static (double Mean, double Interval95) Summarize(IReadOnlyList<double> accuracies)
    {
        double mean = accuracies.Average();
        double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, accuracies.Count - 1));
        return (mean, 1.96 * std / Math.Sqrt(accuracies.Count));
    }

    /// <summary>Runs <paramref name="options"/>' method on <paramref name="episodes"/> with seed <paramref name="seed"/>.</summary>
    /// <param name="episodes">The episodes.</param> <param name="options">The learner and its settings.</param> <param name="seed">Init and order.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="save">Where to save the meta-trained model as safetensors (parameter names as the model's), before
    /// meta-testing adapts copies of it: a meta-learned θ₀ to start a continual run from (<c>model: mlp:...,checkpoint=PATH</c>).</param>
    /// <param name="progress">After every meta-training iteration and every meta-test episode: the phase, done, total.</param>
    /// <exception cref="NotFiniteNumberException">Meta-training left a parameter NaN or infinite (the step sizes are too large).</exception>
    public static FewShotResult Run(FewShotEpisodes episodes, FewShotBenchmarkOptions options, ulong seed, Action<string>? log = null, string? save = null, Action<string, int, int>? progress = null)
    {
        var learner = Create(episodes, options, seed);
        var clock = Stopwatch.StartNew();
        string phase = $"{options.Method.ToString().ToLowerInvariant()} meta-training";
        for (int it = 0; it < options.Iterations; it++)
        {
            var step = learner.Step(it, options.Iterations);
            progress?.Invoke(phase, it + 1, options.Iterations);
            if (log is not null && (it + 1) % 500 == 0) log($"{options.Method} iteration {it + 1}/{options.Iterations}: loss {step.Loss:F4}");
        }
        double secondsPerIteration = clock.Elapsed.TotalSeconds / Math.Max(1, options.Iterations);
        learner.PrepareScoring();
        RequireFinite(learner, options.Iterations);
        if (save is not null)
            Pretrained.PretrainedCheckpoint.Save(learner.Model, save, new Dictionary<string, string> { ["lifelong.meta_method"] = options.Method.ToString(), ["lifelong.seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var accuracies = Enumerable.Range(0, episodes.MetaTestEpisodeCount).Select(i =>
        {
            double accuracy = learner.Score(episodes.MetaTestEpisode(i));
            progress?.Invoke("meta-test episodes", i + 1, episodes.MetaTestEpisodeCount);
            return accuracy;
        }).ToArray();
        var (mean, interval) = Summarize(accuracies);
        return new FewShotResult(options.Method, episodes.OutputCount, episodes.GetTask(0).Train.Count / episodes.OutputCount, mean, interval, accuracies.Length, secondsPerIteration);
    }

    /// <summary>An episode as a classification <see cref="MetaTask"/>: support and query images in [0, 1], flattened for an MLP.</summary>
    public static MetaTask MetaTaskOf(ContinualTask episode, bool flat = true)
    {
        var support = Load(episode.Train, flat);
        var query = Load(episode.Test, flat);
        return MetaTask.Classification(support.ToTensor(), support.Labels, query.ToTensor(), query.Labels);
    }

    private static Batch Load(Dataset data, bool flat) => new DataLoader(data, data.Count, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: flat)).Next();

    internal static IReadOnlyList<MetaTask> MetaBatch(FewShotEpisodes episodes, Setup setup, int iteration, int size) =>
        [.. Enumerable.Range(0, size).Select(i => MetaTaskOf(episodes.GetTask((iteration * size + i) % episodes.TaskCount), setup.Flat))];
}
