using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Which label the Fisher's log-likelihood gradient is taken at.</summary>
public enum FisherLabels
{
    /// <summary>The true Fisher: the expectation over the model's predicted class distribution, Σ_c p(c|x)·g_c² (C backward passes per sample).</summary>
    Exact,

    /// <summary>One label drawn from the model's predicted distribution per sample (an unbiased one-sample estimate of the true Fisher).</summary>
    Sample,

    /// <summary>The ground-truth label: the "empirical Fisher".</summary>
    Empirical,
}

/// <summary>The diagonal of the Fisher information matrix, F_i = E_x E_{y∼·}[(∂ log p(y|x; θ)/∂θ_i)²], from per-sample gradients.</summary>
/// <remarks>
/// Gradients are taken one sample at a time (batch size 1, as van de Ven et al.'s reference code recommends), squared, and
/// averaged over the samples: squaring a batch-mean gradient instead would give a different and much smaller quantity.
/// The model is put in evaluation mode while the Fisher is computed. The three label choices are van de Ven's
/// <c>all</c>, <c>sample</c> and <c>true</c> (arXiv 2502.11756 compares them).
/// </remarks>
public static class FisherInformation
{
    /// <summary>The diagonal Fisher of <paramref name="model"/> over <paramref name="samples"/>, keyed by parameter.</summary>
    /// <param name="model">The model; each sample is scored on its own head.</param>
    /// <param name="samples">The data; every row counts as one sample.</param>
    /// <param name="labels">Which label(s) the log-likelihood gradient is taken at.</param>
    /// <param name="rng">Draws the labels of <see cref="FisherLabels.Sample"/>.</param>
    public static Dictionary<Parameter, Tensor> Diagonal(ContinualModel model, IEnumerable<TrainingBatch> samples, FisherLabels labels, Rng rng)
    {
        var parameters = model.Network.Parameters().ToList();
        var sums = parameters.Select(p => new float[p.Size]).ToArray();
        int n = 0;
        bool wasTraining = model.Network.IsTraining;
        model.Network.Eval();
        try
        {
            foreach (var one in TaskSamples.OneByOne(samples))
            {
                var logProbabilities = F.LogSoftmax(model.Forward(one.ToTensor(), one.Heads), axis: 1);   // (1, C)
                var probabilities = logProbabilities.Detach().Exp().ToArray();
                switch (labels)
                {
                    case FisherLabels.Exact:
                        for (int c = 0; c < probabilities.Length; c++) Accumulate(logProbabilities, c, probabilities[c]);
                        break;
                    case FisherLabels.Sample:
                        Accumulate(logProbabilities, Categorical(probabilities, rng), 1f);
                        break;
                    default:
                        Accumulate(logProbabilities, one.Labels[0], 1f);
                        break;
                }
                n++;
            }
        }
        finally
        {
            model.Network.Train(wasTraining);
        }
        if (n == 0) throw new ArgumentException("Fisher information: no samples.", nameof(samples));
        return parameters.Select((p, k) => (p, k)).ToDictionary(e => e.p, e => Tensor.FromArray(sums[e.k], e.p.Shape.ToArray()) * (1f / n));

        void Accumulate(Tensor logProbabilities, int label, float weight)
        {
            if (weight == 0) return;
            var gradients = Autograd.Grad(logProbabilities.Slice(1, label, 1).Sum(), parameters);
            for (int k = 0; k < parameters.Count; k++)
            {
                var g = gradients[k].Span;
                var sum = sums[k];
                for (int i = 0; i < sum.Length; i++) sum[i] += weight * g[i] * g[i];
            }
        }
    }

    private static int Categorical(float[] probabilities, Rng rng)
    {
        double u = rng.NextDouble(), cumulative = 0;
        for (int c = 0; c < probabilities.Length; c++)
            if ((cumulative += probabilities[c]) > u) return c;
        return probabilities.Length - 1;
    }
}
