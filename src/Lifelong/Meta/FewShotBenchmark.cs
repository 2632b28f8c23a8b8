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
    /// <param name="NewModel">A fresh model with the given number of outputs (each call draws its own init).</param>
    private sealed record Setup(bool Flat, Func<int, Module> NewModel);

    /// <summary>Runs <paramref name="options"/>' method on <paramref name="episodes"/> with seed <paramref name="seed"/>.</summary>
    /// <param name="episodes">The episodes.</param> <param name="options">The learner and its settings.</param> <param name="seed">Init and order.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="save">Where to save the meta-trained model as safetensors (parameter names as the model's), before
    /// meta-testing adapts copies of it: a meta-learned θ₀ to start a continual run from (<c>model: mlp:...,checkpoint=PATH</c>).</param>
    /// <param name="progress">After every meta-training iteration and every meta-test episode: the phase, done, total.</param>
    /// <exception cref="NotFiniteNumberException">Meta-training left a parameter NaN or infinite (the step sizes are too large).</exception>
    public static FewShotResult Run(FewShotEpisodes episodes, FewShotBenchmarkOptions options, ulong seed, Action<string>? log = null, string? save = null, Action<string, int, int>? progress = null)
    {
        var rng = new Rng(seed);
        int ways = episodes.OutputCount;
        var image = episodes.GetTask(0).Train.Shape;
        int[] hidden = options.Hidden ?? DefaultHidden;
        int models = 0;
        string NextName() => models++ == 0 ? "model" : $"model{models - 1}";
        var setup = options.ConvFilters > 0
            ? new Setup(false, outputs => new FewShotConvNet(image.Channels, image.Height, outputs, rng.Split(NextName()), options.ConvFilters))
            : new Setup(true, outputs => new Mlp([image.Size, .. hidden, outputs], rng.Split(NextName())));
        var clock = Stopwatch.StartNew();
        var (score, model) = options.Method switch
        {
            FewShotMethod.ProtoNet => ProtoNet(episodes, options, setup, hidden, log, progress),
            FewShotMethod.Pretrain => Pretrain(episodes, options, setup, ways, log, progress),
            FewShotMethod.Reptile => Reptile(episodes, options, setup, ways, log, progress),
            _ => Maml(episodes, options, setup, ways, log, progress),
        };
        double secondsPerIteration = clock.Elapsed.TotalSeconds / Math.Max(1, options.Iterations);
        // Weights that are no longer finite mean the step sizes were too large: every meta-test accuracy would describe a
        // broken network, so none is reported.
        var broken = model.NamedParameters().FirstOrDefault(p => !System.Numerics.Tensors.TensorPrimitives.IsFiniteAll<float>(p.Parameter.Span));
        if (broken.Parameter is not null)
            throw new NotFiniteNumberException($"meta-training diverged: parameter '{broken.Name}' holds NaN or infinite values after {options.Iterations} iterations. Lower the step sizes (--outer-lr, --inner-lr).", double.NaN);
        if (save is not null)
            Pretrained.PretrainedCheckpoint.Save(model, save, new Dictionary<string, string> { ["lifelong.meta_method"] = options.Method.ToString(), ["lifelong.seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var accuracies = Enumerable.Range(0, episodes.MetaTestEpisodeCount).Select(i =>
        {
            double accuracy = score(episodes.MetaTestEpisode(i));
            progress?.Invoke("meta-test episodes", i + 1, episodes.MetaTestEpisodeCount);
            return accuracy;
        }).ToArray();
        double mean = accuracies.Average();
        double std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, accuracies.Length - 1));
        return new FewShotResult(options.Method, ways, episodes.GetTask(0).Train.Count / ways, mean, 1.96 * std / Math.Sqrt(accuracies.Length), accuracies.Length, secondsPerIteration);
    }

    /// <summary>An episode as a classification <see cref="MetaTask"/>: support and query images in [0, 1], flattened for an MLP.</summary>
    public static MetaTask MetaTaskOf(ContinualTask episode, bool flat = true)
    {
        var support = Load(episode.Train, flat);
        var query = Load(episode.Test, flat);
        return MetaTask.Classification(support.ToTensor(), support.Labels, query.ToTensor(), query.Labels);
    }

    private static Batch Load(Dataset data, bool flat) => new DataLoader(data, data.Count, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: flat)).Next();

    private static IReadOnlyList<MetaTask> MetaBatch(FewShotEpisodes episodes, Setup setup, int iteration, int size) =>
        [.. Enumerable.Range(0, size).Select(i => MetaTaskOf(episodes.GetTask((iteration * size + i) % episodes.TaskCount), setup.Flat))];

    private static (Func<ContinualTask, double> Score, Module Model) Maml(FewShotEpisodes episodes, FewShotBenchmarkOptions o, Setup setup, int ways, Action<string>? log, Action<string, int, int>? progress)
    {
        var model = setup.NewModel(ways);
        var mamlOptions = new MamlOptions(o.InnerLr, o.InnerSteps, FirstOrder: o.Method == FewShotMethod.Fomaml,
            LearnInnerLr: o.Method == FewShotMethod.MetaSgd, AdaptOnly: o.Method == FewShotMethod.Anil ? "head" : null);
        var maml = new Maml(model, p => new Adam(p, lr: o.OuterLr), mamlOptions);
        for (int it = 0; it < o.Iterations; it++)
        {
            float loss = maml.Step(MetaBatch(episodes, setup, it, o.MetaBatch));
            progress?.Invoke($"{o.Method.ToString().ToLowerInvariant()} meta-training", it + 1, o.Iterations);
            if (log is not null && (it + 1) % 500 == 0) log($"{o.Method} iteration {it + 1}/{o.Iterations}: meta-loss {loss:F4}");
        }
        return (episode => maml.Accuracy(MetaTaskOf(episode, setup.Flat), o.TestInnerSteps), model);
    }

    private static (Func<ContinualTask, double> Score, Module Model) Reptile(FewShotEpisodes episodes, FewShotBenchmarkOptions o, Setup setup, int ways, Action<string>? log, Action<string, int, int>? progress)
    {
        var model = setup.NewModel(ways);
        var reptile = new Reptile(model, new ReptileOptions(o.InnerLr, o.InnerSteps));
        for (int it = 0; it < o.Iterations; it++)
        {
            reptile.Step(MetaBatch(episodes, setup, it, o.MetaBatch), it, o.Iterations);
            progress?.Invoke($"{o.Method.ToString().ToLowerInvariant()} meta-training", it + 1, o.Iterations);
            if (log is not null && (it + 1) % 500 == 0) log($"reptile iteration {it + 1}/{o.Iterations}");
        }
        var adapt = new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(o.InnerLr));
        return (episode => adapt.Accuracy(MetaTaskOf(episode, setup.Flat), o.TestInnerSteps), model);
    }

    private static (Func<ContinualTask, double> Score, Module Model) ProtoNet(FewShotEpisodes episodes, FewShotBenchmarkOptions o, Setup setup, int[] hidden, Action<string>? log, Action<string, int, int>? progress)
    {
        // The embedding: the MLP's last hidden width as a linear output, or the conv net with a linear layer of its feature width.
        var embedding = setup.NewModel(setup.Flat ? hidden[^1] : o.ConvFilters);
        var protonet = new PrototypicalNetwork(embedding, new Adam(embedding.Parameters(), lr: o.OuterLr), setup.Flat);
        int ways = episodes.OutputCount;
        for (int it = 0; it < o.Iterations; it++)
        {
            double accuracy = protonet.Step(episodes.GetTask(it % episodes.TaskCount), ways);
            progress?.Invoke($"{o.Method.ToString().ToLowerInvariant()} meta-training", it + 1, o.Iterations);
            if (log is not null && (it + 1) % 500 == 0) log($"protonet episode {it + 1}/{o.Iterations}: query accuracy {accuracy:F3}");
        }
        return (episode => protonet.Evaluate(episode, ways), embedding);
    }

    private static (Func<ContinualTask, double> Score, Module Model) Pretrain(FewShotEpisodes episodes, FewShotBenchmarkOptions o, Setup setup, int ways, Action<string>? log, Action<string, int, int>? progress)
    {
        // One classifier over every meta-train class, trained on the meta-train episodes' images with their original classes.
        var pool = episodes.MetaTrainPool.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var classifier = setup.NewModel(pool.Count);
        var adam = new Adam(classifier.Parameters(), lr: o.OuterLr);
        for (int it = 0; it < o.Iterations; it++)
        {
            var batch = MetaBatch(episodes, setup, it, o.MetaBatch);
            var tasks = Enumerable.Range(0, o.MetaBatch).Select(i => episodes.GetTask((it * o.MetaBatch + i) % episodes.TaskCount)).ToList();
            var x = TensorMath.Concat([.. batch.SelectMany(t => new[] { t.SupportX, t.QueryX })], 0);
            int[] labels = [.. batch.Zip(tasks).SelectMany(p => p.First.SupportLabels!.Concat(p.First.QueryLabels!).Select(k => pool[p.Second.Classes[k]]))];
            adam.ZeroGrad();
            var loss = F.CrossEntropy(classifier.Forward(x), labels);
            loss.Backward();
            adam.Step();
            progress?.Invoke($"{o.Method.ToString().ToLowerInvariant()} meta-training", it + 1, o.Iterations);
            if (log is not null && (it + 1) % 500 == 0) log($"pretrain step {it + 1}/{o.Iterations}: loss {loss.Item():F4}");
        }
        // The same body with a fresh N-way head of zeros, fine-tuned on each support set.
        var model = setup.NewModel(ways);
        var body = classifier.StateDict().Where(p => !p.Key.StartsWith("head", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        model.LoadStateDict(body, strict: false);
        using (Autograd.NoGrad())
            foreach (var (name, p) in model.NamedParameters())
                if (name.StartsWith("head", StringComparison.Ordinal)) p.Span.Clear();
        var adapt = new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(o.InnerLr));
        return (episode => adapt.Accuracy(MetaTaskOf(episode, setup.Flat), o.TestInnerSteps), model);
    }
}
