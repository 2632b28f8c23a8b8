namespace Lifelong.Meta;

/// <summary>One task of a meta-learning problem: a support set to adapt on and a query set to evaluate the adapted model.</summary>
/// <param name="SupportX">(K, in) support inputs.</param>
/// <param name="SupportY">(K, out) support targets (regression).</param>
/// <param name="QueryX">(Q, in) query inputs.</param>
/// <param name="QueryY">(Q, out) query targets.</param>
public sealed record MetaTask(Tensor SupportX, Tensor SupportY, Tensor QueryX, Tensor QueryY)
{
    /// <summary>Support class labels of a classification task (the loss is then cross-entropy); null for regression.</summary>
    public int[]? SupportLabels { get; init; }

    /// <summary>Query class labels of a classification task; null for regression.</summary>
    public int[]? QueryLabels { get; init; }

    /// <summary>A classification task: inputs and class labels (the Y tensors hold the labels as floats, for display only).</summary>
    public static MetaTask Classification(Tensor supportX, int[] supportLabels, Tensor queryX, int[] queryLabels) =>
        new(supportX, Labels(supportLabels), queryX, Labels(queryLabels)) { SupportLabels = supportLabels, QueryLabels = queryLabels };

    /// <summary>The task's loss of <paramref name="output"/> on its support (or query) set: cross-entropy with labels, else MSE.</summary>
    public Tensor Loss(Tensor output, bool query)
    {
        var labels = query ? QueryLabels : SupportLabels;
        return labels is null ? F.Mse(output, query ? QueryY : SupportY) : F.CrossEntropy(output, labels);
    }

    private static Tensor Labels(int[] labels) => Tensor.FromArray([.. labels.Select(l => (float)l)], labels.Length, 1);
}

/// <summary>Sinusoid regression exactly as the MAML paper (Finn et al. 2017, §5.1): y = A·sin(x + φ), A ~ U[0.1, 5],
/// φ ~ U[0, π], x ~ U[−5, 5].</summary>
public static class Sinusoid
{
    /// <summary>A task with a fresh amplitude and phase, <paramref name="support"/> support and <paramref name="query"/> query points.</summary>
    public static MetaTask Sample(Rng rng, int support = 10, int query = 10)
    {
        double amplitude = 0.1 + 4.9 * rng.NextDouble(), phase = Math.PI * rng.NextDouble();
        (Tensor X, Tensor Y) Points(int n)
        {
            var x = new float[n];
            var y = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(-5 + 10 * rng.NextDouble());
                y[i] = (float)(amplitude * Math.Sin(x[i] + phase));
            }
            return (Tensor.FromArray(x, n, 1), Tensor.FromArray(y, n, 1));
        }
        var (sx, sy) = Points(support);
        var (qx, qy) = Points(query);
        return new MetaTask(sx, sy, qx, qy);
    }
}
