using Lifelong.Catalog;
using Lifelong.NN;

namespace Lifelong.Pretrained;

/// <summary>How a model is trained on the small target set.</summary>
public enum TransferRegime
{
    /// <summary>The same architecture, freshly initialised, all parameters trained.</summary>
    Scratch,

    /// <summary>The pretrained model (a fresh head when the class counts differ), all parameters trained.</summary>
    FineTune,

    /// <summary>The pretrained model frozen; only the head (parameters named <c>head.*</c>) is trained.</summary>
    LinearProbe,
}

/// <summary>Options of <see cref="TransferExperiment"/>.</summary>
/// <param name="Shots">K: training images per target class, one row of the table each (1, 5, 10, 100).</param>
/// <param name="Steps">Adam steps on the K-shot set.</param>
/// <param name="BatchSize">Batch size (at most the K-shot set).</param>
/// <param name="LearningRate">Adam's step size for every regime.</param>
/// <param name="Classes">The target classes (labels unchanged); null for all of the dataset's.</param>
public sealed record TransferOptions([Positive(Max = 100_000)] int[] Shots, [Positive] int Steps = 300, [Positive(Max = 100_000)] int BatchSize = 32, [Positive] double LearningRate = 1e-3, [NonNegative] int[]? Classes = null);

/// <summary>Test accuracy of one regime at one K for one seed.</summary>
public sealed record TransferResult(int Shots, TransferRegime Regime, ulong Seed, double Accuracy);

/// <summary>Transfer learning from a pretrained checkpoint to a small target set: fine-tuning and a linear probe against
/// training the same architecture from scratch, at K examples per class.</summary>
/// <remarks>Each seed draws the K-shot set (the same for every regime), the scratch model's init and the data order; the
/// test set is the target's whole test split restricted to the target classes.</remarks>
public static class TransferExperiment
{
    /// <summary>Every regime at every K of <paramref name="options"/> for seed <paramref name="seed"/>.</summary>
    /// <param name="model">The model spec with its <c>checkpoint=PATH</c> option (the scratch model drops the option).</param>
    /// <param name="target">The target data.</param> <param name="options">K values and training budget.</param> <param name="seed">The seed.</param>
    /// <param name="progress">After every training step: the phase ("seed 0: fine-tune, K = 5"), steps done, steps in the phase.</param>
    /// <exception cref="NotFiniteNumberException">A loss became NaN or infinite (the learning rate is too large): no accuracy is reported.</exception>
    /// <param name="finished">After each regime at each K: its result.</param>
    public static IReadOnlyList<TransferResult> Run(ComponentSpec model, TrainTestSplit target, TransferOptions options, ulong seed, Action<string, int, int>? progress = null, Action<TransferResult>? finished = null)
    {
        if (!model.Options.ContainsKey(ModelEntry.CheckpointOption))
            throw new ArgumentException($"transfer: the model needs a pretrained checkpoint ({model.Name}:...,{ModelEntry.CheckpointOption}=PATH).", nameof(model));
        if (options.Shots.Length == 0 || options.Shots.Any(k => k < 1) || options.Steps < 1 || options.BatchSize < 1)
            throw new ArgumentException("transfer: shots must be ≥ 1, and steps and batch size ≥ 1.", nameof(options));
        var entry = ModelCatalog.Get(model.Name);
        var scratchSpec = model with { Options = model.Options.Where(o => o.Key != ModelEntry.CheckpointOption).ToDictionary(o => o.Key, o => o.Value) };
        int[] classes = options.Classes ?? [.. Enumerable.Range(0, target.ClassCount)];
        var test = Restrict(target.Test, classes);
        var rng = new Rng(seed);
        var results = new List<TransferResult>();
        foreach (int shots in options.Shots)
        {
            var train = Sample(target.Train, classes, shots, rng.Split($"shots/{shots}"));
            foreach (var regime in Enum.GetValues<TransferRegime>())
            {
                var network = entry.Create(regime == TransferRegime.Scratch ? scratchSpec : model, target.Shape, target.ClassCount, rng.Split($"init/{shots}"));
                var trainable = regime == TransferRegime.LinearProbe
                    ? [.. network.NamedParameters().Where(p => p.Name.StartsWith("head.", StringComparison.Ordinal)).Select(p => p.Parameter)]
                    : network.Parameters().ToList();
                if (trainable.Count == 0) throw new ArgumentException($"transfer: {model.Name} has no parameter named head.* for the linear probe.", nameof(model));
                Train($"{regime}, K = {shots}", network, trainable, train, entry.FlatInputs, options, rng.Split($"data/{shots}"), (done, total) => progress?.Invoke($"seed {seed}: {regime}, K = {shots}", done, total));
                results.Add(new TransferResult(shots, regime, seed, Pretraining.Accuracy(network, test, entry.FlatInputs)));
                finished?.Invoke(results[^1]);
            }
        }
        return results;
    }

    private static void Train(string what, Module network, List<Parameter> trainable, Dataset train, bool flat, TransferOptions options, Rng rng, Action<int, int> progress)
    {
        var loader = new DataLoader(train, Math.Min(options.BatchSize, train.Count), rng, new DataLoaderOptions(Flatten: flat));
        var adam = new Adam(trainable, lr: options.LearningRate);
        network.Train();
        for (int s = 0; s < options.Steps; s++)
        {
            var batch = loader.Next();
            network.ZeroGrad();
            var loss = F.CrossEntropy(network.Forward(batch.ToTensor()), batch.Labels);
            // A non-finite loss means the step size is too large: the accuracy after it would describe a broken network.
            float value = loss.Item();
            if (!float.IsFinite(value))
                throw new NotFiniteNumberException($"training ({what}) diverged at step {s + 1} of {options.Steps}: the loss is {value}. Lower the learning rate (--lr).", value);
            loss.Backward();
            adam.Step();
            progress(s + 1, options.Steps);
        }
    }

    private static Dataset Restrict(Dataset data, int[] classes)
    {
        var keep = classes.ToHashSet();
        var labels = data.Labels;
        var indices = new List<int>();
        for (int i = 0; i < data.Count; i++) if (keep.Contains(labels[i])) indices.Add(i);
        return data.Select([.. indices], data.Name + "/target");
    }

    /// <summary>K images of each class, drawn without replacement.</summary>
    private static Dataset Sample(Dataset data, int[] classes, int shots, Rng rng)
    {
        var labels = data.Labels;
        var indices = new List<int>();
        foreach (int c in classes)
        {
            var members = new List<int>();
            for (int i = 0; i < data.Count; i++) if (labels[i] == c) members.Add(i);
            if (members.Count < shots) throw new ArgumentException($"transfer: class {c} has {members.Count} training images, fewer than {shots} shots.");
            var order = rng.Split($"class/{c}").Permutation(members.Count);
            indices.AddRange(order.Take(shots).Select(k => members[k]));
        }
        return data.Select([.. indices], $"{data.Name}/{shots}-shot");
    }
}
