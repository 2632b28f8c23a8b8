using Lifelong.NN;

namespace Lifelong.Rl.Agents;

/// <summary>Orthogonal initialisation (Saxe et al. 2014) as PyTorch's <c>nn.init.orthogonal_</c>, with zero biases: CleanRL's
/// <c>layer_init</c>.</summary>
public static class OrthogonalInit
{
    /// <summary>W ← gain·Q with Q having orthonormal rows (out ≤ in) or columns (out &gt; in), b ← 0.</summary>
    /// <remarks>PyTorch takes the QR decomposition of a standard normal matrix and fixes the signs so that R's diagonal is
    /// positive; Gram–Schmidt on the same matrix gives that Q directly (its R has a positive diagonal by construction), so the
    /// distribution is the same (Haar). The draws come from our <see cref="Rng"/>, not torch's.</remarks>
    public static void Apply(Linear layer, float gain, Rng rng)
    {
        int rows = layer.Weight.Shape[0], columns = layer.Weight.Shape[1];
        int m = Math.Max(rows, columns), k = Math.Min(rows, columns);
        var a = new double[k, m];   // k vectors of length m, orthonormalised in turn
        for (int j = 0; j < k; j++)
            for (int i = 0; i < m; i++) a[j, i] = rng.NextNormal();
        for (int j = 0; j < k; j++)
        {
            for (int p = 0; p < j; p++)
            {
                double dot = 0;
                for (int i = 0; i < m; i++) dot += a[j, i] * a[p, i];
                for (int i = 0; i < m; i++) a[j, i] -= dot * a[p, i];
            }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += a[j, i] * a[j, i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < m; i++) a[j, i] /= norm;
        }
        var w = layer.Weight.Span;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                w[r * columns + c] = gain * (float)(rows <= columns ? a[r, c] : a[c, r]);
        if (layer.Bias is { } bias) bias.Span.Clear();
    }

    /// <summary>CleanRL's PPO init of an actor-critic: hidden layers gain √2, the policy head 0.01, the value head 1.</summary>
    public static void ApplyCleanRl(ActorCritic network, Rng rng)
    {
        foreach (var (name, mlp) in new[] { ("policy", network.Policy), ("value", network.Value) })
        {
            var layers = mlp.HiddenLayers;
            for (int i = 0; i < layers.Count; i++) Apply(layers[i], MathF.Sqrt(2f), rng.Split($"{name}.fc{i + 1}"));
            Apply(mlp.Head, name == "policy" ? 0.01f : 1f, rng.Split($"{name}.head"));
        }
    }
}
