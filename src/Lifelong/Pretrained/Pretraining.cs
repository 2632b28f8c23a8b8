using Lifelong.Catalog;
using Lifelong.NN;

namespace Lifelong.Pretrained;

/// <summary>How <see cref="Pretraining.Train"/> trains a source model.</summary>
/// <param name="Steps">Adam steps.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Lr">Adam's learning rate.</param>
/// <param name="Classes">Train (and test) on these classes only, keeping their labels; null: every class. Lets MNIST digits
/// 5–9 pretrain a backbone for a stream on digits 0–4.</param>
public sealed record PretrainOptions([Positive] int Steps = 2000, [Positive(Max = 100_000)] int BatchSize = 64, [Positive] float Lr = 1e-3f, [NonNegative] IReadOnlyList<int>? Classes = null);

/// <summary>What a pretraining run reached.</summary>
/// <param name="FinalLoss">Mean cross-entropy over the last 100 steps (or all, if fewer).</param>
/// <param name="TestAccuracy">Accuracy on the source test set (restricted to <see cref="PretrainOptions.Classes"/>).</param>
/// <param name="TrainImages">Training images used.</param>
public sealed record PretrainResult(double FinalLoss, double TestAccuracy, int TrainImages);

/// <summary>Trains a model on a source dataset to serve as θ₀ of a continual run on a pretrained backbone.</summary>
/// <remarks>No pretrained ViT can be downloaded here, so <c>lifelong pretrain</c> makes one: plain supervised training with
/// Adam on shuffled batches (seeded by <c>rng</c>), pixels in [0, 1] as the runs' default normalisation.</remarks>
public static class Pretraining
{
    /// <summary>Trains <paramref name="network"/> (outputs: the dataset's class count) on <paramref name="data"/>.</summary>
    /// <param name="network">The model, trained in place.</param>
    /// <param name="data">The source dataset.</param>
    /// <param name="flatInputs">Whether the model takes flat (N, C·H·W) inputs (an MLP).</param>
    /// <param name="options">Steps, batch, learning rate, classes.</param>
    /// <param name="rng">Data order.</param>
    /// <param name="progress">Called every 100 steps with the step and the mean loss since the last call.</param>
    public static PretrainResult Train(Module network, TrainTestSplit data, bool flatInputs, PretrainOptions options, Rng rng, Action<int, double>? progress = null)
    {
        OptionRules.Validate(options, name => $"pretraining option '{name}'");
        var train = Restrict(data.Train, options.Classes);
        var test = Restrict(data.Test, options.Classes);
        var optimizer = new Adam(network.Parameters(), lr: options.Lr);
        var loader = new DataLoader(train, options.BatchSize, rng.Split("data"), new DataLoaderOptions(Flatten: flatInputs));
        network.Train();
        double windowLoss = 0, lastLoss = 0;
        int window = 0;
        for (int step = 1; step <= options.Steps; step++)
        {
            var batch = loader.Next();
            var loss = F.CrossEntropy(network.Forward(batch.ToTensor()), batch.Labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
            windowLoss += loss.Item();
            window++;
            if (step % 100 == 0 || step == options.Steps)
            {
                lastLoss = windowLoss / window;
                progress?.Invoke(step, lastLoss);
                (windowLoss, window) = (0, 0);
            }
        }
        return new PretrainResult(lastLoss, Accuracy(network, test, flatInputs), train.Count);
    }

    /// <summary>Accuracy of <paramref name="network"/> on <paramref name="data"/>, in evaluation mode.</summary>
    public static double Accuracy(Module network, Dataset data, bool flatInputs)
    {
        bool wasTraining = network.IsTraining;
        network.Eval();
        int correct = 0;
        try
        {
            var loader = new DataLoader(data, 256, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: flatInputs));
            using var noGrad = Autograd.NoGrad();
            foreach (var batch in loader.Epoch())
            {
                var predicted = network.Forward(batch.ToTensor()).ArgMax(1);
                for (int i = 0; i < batch.Count; i++) if (predicted[i] == batch.Labels[i]) correct++;
            }
        }
        finally
        {
            network.Train(wasTraining);
        }
        return data.Count == 0 ? 0 : (double)correct / data.Count;
    }

    /// <summary><paramref name="data"/> restricted to <paramref name="classes"/> (all of it when null).</summary>
    public static Dataset Restrict(Dataset data, IReadOnlyList<int>? classes)
    {
        if (classes is null) return data;
        var labels = data.Labels;
        var keep = new List<int>();
        for (int i = 0; i < data.Count; i++) if (classes.Contains(labels[i])) keep.Add(i);
        if (keep.Count == 0) throw new ArgumentException($"Pretraining: {data.Name} has no image of classes {string.Join(", ", classes)}.", nameof(classes));
        return data.Select(keep.ToArray());
    }
}
