using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Which labels the diagonal Fisher is computed with (van de Ven 2025, "On the Computation of the Fisher Information in Continual Learning").</summary>
public enum FisherKind
{
    /// <summary>Exact: for each input, the expectation over the model's predictive distribution, Σ_c p(c|x)·(∂ log p(c|x)/∂θ)².</summary>
    Exact,

    /// <summary>One label drawn from p(·|x) per input (an unbiased estimate of the exact Fisher).</summary>
    Sample,

    /// <summary>The true label ("empirical Fisher").</summary>
    Empirical,
}

/// <summary>The diagonal of the Fisher information of the model's predictive distribution on a task's training data.</summary>
public static class FisherInformation
{
    /// <summary>F_i = (1/N) Σₙ E_c[(∂ log p(c|xₙ)/∂θ_i)²] over <paramref name="samples"/> training inputs of <paramref name="task"/>, one input at a time.</summary>
    /// <param name="learner">The learner whose network and head layout are used (evaluation mode).</param>
    /// <param name="task">The task whose training data is used, on its head.</param>
    /// <param name="parameters">The parameters to compute F for.</param>
    /// <param name="kind">Which labels (exact expectation, sampled, true).</param>
    /// <param name="samples">Inputs to average over (all of the task's training set when larger).</param>
    /// <param name="rng">Chooses the inputs and, for <see cref="FisherKind.Sample"/>, the labels.</param>
    public static Dictionary<Parameter, Tensor> Diagonal(Learner learner, ContinualTask task, IReadOnlyList<Parameter> parameters, FisherKind kind, int samples, Rng rng)
    {
        var fisher = parameters.ToDictionary(p => p, p => new double[p.Size]);
        var data = task.Train;
        int n = Math.Min(samples, data.Count);
        var loader = new DataLoader(data.Select(rng.Split("inputs").Permutation(data.Count).AsSpan(0, n)), 1, rng.Split("order"), learner.LoaderOptions(shuffle: false, augment: false));
        var labelRng = rng.Split("labels");
        int head = task.Head ?? 0;
        bool wasTraining = learner.Network.IsTraining;
        learner.Network.Eval();
        try
        {
            foreach (var batch in loader.Epoch())
            {
                var logProbabilities = F.LogSoftmax(learner.Model.Forward(batch.ToTensor(), [head]), axis: 1);
                var p = logProbabilities.Span.ToArray().Select(v => Math.Exp(v)).ToArray();
                switch (kind)
                {
                    case FisherKind.Exact:
                        for (int c = 0; c < p.Length; c++) Accumulate(fisher, parameters, logProbabilities, c, p[c]);
                        break;
                    case FisherKind.Sample:
                        Accumulate(fisher, parameters, logProbabilities, Draw(p, labelRng), 1);
                        break;
                    default:
                        Accumulate(fisher, parameters, logProbabilities, batch.Labels[0], 1);
                        break;
                }
            }
        }
        finally
        {
            learner.Network.Train(wasTraining);
        }
        return parameters.ToDictionary(p => p, p => Tensor.FromArray([.. fisher[p].Select(v => (float)(v / n))], p.Shape.ToArray()));
    }

    private static void Accumulate(Dictionary<Parameter, double[]> fisher, IReadOnlyList<Parameter> parameters, Tensor logProbabilities, int label, double weight)
    {
        if (weight == 0) return;
        var grads = Autograd.Grad(logProbabilities.Slice(1, label, 1).Sum(), [.. parameters]);
        for (int k = 0; k < parameters.Count; k++)
        {
            var g = grads[k].Span;
            var f = fisher[parameters[k]];
            for (int i = 0; i < f.Length; i++) f[i] += weight * g[i] * g[i];
        }
    }

    private static int Draw(double[] probabilities, Rng rng)
    {
        double u = rng.NextDouble(), cumulative = 0;
        for (int c = 0; c < probabilities.Length; c++)
        {
            cumulative += probabilities[c];
            if (u < cumulative) return c;
        }
        return probabilities.Length - 1;
    }
}
