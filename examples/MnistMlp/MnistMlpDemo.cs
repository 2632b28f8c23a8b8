using Lifelong.Data;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Examples;

/// <summary>Options of the MNIST MLP demo.</summary>
/// <param name="Hidden">Hidden layer widths.</param>
/// <param name="Epochs">Passes over the 60,000 training images.</param>
/// <param name="BatchSize">Minibatch size.</param>
/// <param name="Lr">Adam's learning rate.</param>
/// <param name="Seed">Root seed: initialisation and shuffling are split from it.</param>
public sealed record MnistMlpOptions(int[] Hidden, int Epochs = 3, int BatchSize = 128, float Lr = 1e-3f, ulong Seed = 0);

/// <summary>Supervised training of an MLP on MNIST: the engine end to end (data, model, loss, autograd, optimizer).</summary>
public static class MnistMlpDemo
{
    /// <summary>Trains and returns the test accuracy after each epoch; <paramref name="log"/> receives one line per epoch.</summary>
    public static IReadOnlyList<double> Train(MnistMlpOptions options, DatasetStore store, Action<string>? log = null)
    {
        var data = store.Load("mnist");
        var rng = new Rng(options.Seed);
        var model = new Mlp([784, .. options.Hidden, 10], rng.Split("init"));
        var optimizer = new Adam(model.Parameters(), lr: options.Lr);
        var loader = new DataLoader(data.Train, options.BatchSize, rng.Split("data"), new DataLoaderOptions(Flatten: true));
        var accuracies = new List<double>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            double lossSum = 0;
            int steps = 0;
            foreach (var batch in loader.Epoch())
            {
                optimizer.ZeroGrad();
                var loss = F.CrossEntropy(model.Forward(batch.ToTensor()), batch.Labels);
                loss.Backward();
                optimizer.Step();
                lossSum += loss.Item();
                steps++;
            }
            double accuracy = Accuracy(model, data.Test);
            accuracies.Add(accuracy);
            log?.Invoke($"epoch {epoch}: train loss {lossSum / steps:F4}, test accuracy {accuracy:P2} ({watch.Elapsed.TotalSeconds:F1} s)");
        }
        return accuracies;
    }

    /// <summary>Fraction of <paramref name="test"/> classified correctly, in batches, without recording a graph.</summary>
    public static double Accuracy(Module model, Dataset test)
    {
        using var _ = Autograd.NoGrad();
        var loader = new DataLoader(test, 1000, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: true));
        int correct = 0;
        foreach (var batch in loader.Epoch())
        {
            var predictions = model.Forward(batch.ToTensor()).ArgMax(-1);
            for (int i = 0; i < predictions.Length; i++) if (predictions[i] == batch.Labels[i]) correct++;
        }
        return (double)correct / test.Count;
    }
}
