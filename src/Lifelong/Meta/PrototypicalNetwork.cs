using Lifelong.NN;
using Lifelong.Scenarios;

namespace Lifelong.Meta;

/// <summary>Prototypical networks: class prototypes are mean support embeddings; queries are classified by a softmax over
/// negative squared Euclidean distances to them, and the embedding is trained episodically on that loss.</summary>
/// <remarks>Snell, Swersky &amp; Zemel, NeurIPS 2017: c_k = (1/|S_k|) Σ f(x) over the support of class k;
/// p(y = k | x) ∝ exp(−‖f(x) − c_k‖²). Prototypes are computed as A·E (A the (N, N·K) class-averaging matrix), so the
/// gradient reaches the support embeddings too.</remarks>
public sealed class PrototypicalNetwork(Module embedding, Optimizer optimizer, bool flatInputs = true)
{
    /// <summary>The episode's query loss and query accuracy, with the loss differentiable in the embedding's parameters.</summary>
    public (Tensor Loss, double Accuracy) Episode(ContinualTask episode, int ways)
    {
        var support = Load(episode.Train);
        var query = Load(episode.Test);
        var supportEmbeddings = embedding.Forward(support.ToTensor());            // (N·K, D)
        var queryEmbeddings = embedding.Forward(query.ToTensor());                // (Q, D)
        var averaging = new float[ways * support.Count];
        var counts = new int[ways];
        foreach (int label in support.Labels) counts[label]++;
        for (int i = 0; i < support.Count; i++) averaging[support.Labels[i] * support.Count + i] = 1f / counts[support.Labels[i]];
        var prototypes = Tensor.FromArray(averaging, ways, support.Count).MatMul(supportEmbeddings);   // (N, D)
        // ‖q − c‖² = ‖q‖² − 2 q·c + ‖c‖²
        var distances = (queryEmbeddings * queryEmbeddings).Sum(1, keepDim: true)
            - queryEmbeddings.MatMul(prototypes, transposeB: true) * 2f
            + (prototypes * prototypes).Sum(1, keepDim: true).Reshape(1, ways);
        var logits = -distances;
        var loss = F.CrossEntropy(logits, query.Labels);
        var predicted = logits.ArgMax(1);
        double accuracy = Enumerable.Range(0, query.Count).Count(i => predicted[i] == query.Labels[i]) / (double)query.Count;
        return (loss, accuracy);
    }

    /// <summary>One training step on <paramref name="episode"/>; returns its query accuracy before the update.</summary>
    public double Step(ContinualTask episode, int ways)
    {
        optimizer.ZeroGrad();
        var (loss, accuracy) = Episode(episode, ways);
        loss.Backward();
        optimizer.Step();
        return accuracy;
    }

    /// <summary>Query accuracy on <paramref name="episode"/>, without training.</summary>
    public double Evaluate(ContinualTask episode, int ways)
    {
        using (Autograd.NoGrad()) return Episode(episode, ways).Accuracy;
    }

    private Batch Load(Dataset data) => new DataLoader(data, data.Count, new Rng(0), new DataLoaderOptions(Shuffle: false, Flatten: flatInputs)).Next();
}
