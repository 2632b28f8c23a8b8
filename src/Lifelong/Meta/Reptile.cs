using Lifelong.NN;

namespace Lifelong.Meta;

/// <summary>Options of <see cref="Reptile"/>.</summary>
/// <param name="InnerLr">Step size of the inner SGD steps.</param>
/// <param name="InnerSteps">k, inner steps per task.</param>
/// <param name="MetaStep">ε at the start; annealed linearly to <paramref name="FinalMetaStep"/> over the run.</param>
/// <param name="FinalMetaStep">ε at the end (0 in the official code's README flags).</param>
public sealed record ReptileOptions(float InnerLr = 0.01f, int InnerSteps = 5, float MetaStep = 1f, float FinalMetaStep = 0f);

/// <summary>Reptile: adapt a copy of θ to each task with k SGD steps, then move θ toward the adapted weights:
/// θ ← θ + ε · (1/n) Σᵢ (φ̃ᵢ − θ) (the batched form).</summary>
/// <remarks>Nichol, Achiam &amp; Schulman 2018 (arXiv 1803.02999), the batched update of <c>supervised_reptile/reptile.py</c>.
/// First-order only: no gradient flows through the inner steps, and no support/query split is needed — each task's
/// support and query points are used together. ε is annealed linearly over <c>totalIterations</c>. Loss: mean squared error, or cross-entropy for a classification task.</remarks>
public sealed class Reptile(Module model, ReptileOptions? options = null)
{
    /// <summary>The options in force.</summary>
    public ReptileOptions Options { get; } = options ?? new ReptileOptions();

    /// <summary>One meta-update on <paramref name="tasks"/> at iteration <paramref name="iteration"/> of <paramref name="totalIterations"/>.</summary>
    public void Step(IReadOnlyList<MetaTask> tasks, int iteration, int totalIterations)
    {
        var parameters = model.Parameters().ToList();
        var start = parameters.Select(p => p.Clone()).ToList();
        var sum = parameters.Select(p => new double[p.Size]).ToList();
        foreach (var task in tasks)
        {
            for (int k = 0; k < parameters.Count; k++) start[k].Span.CopyTo(parameters[k].Span);
            var x = TensorMath.Concat([task.SupportX, task.QueryX], 0);
            var y = TensorMath.Concat([task.SupportY, task.QueryY], 0);
            int[]? labels = task.SupportLabels is { } s0 && task.QueryLabels is { } q0 ? [.. s0, .. q0] : null;
            for (int s = 0; s < Options.InnerSteps; s++)
            {
                var output = model.Forward(x);
                var loss = labels is null ? F.Mse(output, y) : F.CrossEntropy(output, labels);
                var grads = Autograd.Grad(loss, [.. parameters.Cast<Tensor>()]);
                for (int k = 0; k < parameters.Count; k++)
                {
                    var values = parameters[k].Span;
                    var g = grads[k].Span;
                    for (int i = 0; i < values.Length; i++) values[i] -= Options.InnerLr * g[i];
                }
            }
            for (int k = 0; k < parameters.Count; k++)
            {
                var adapted = parameters[k].Span;
                for (int i = 0; i < adapted.Length; i++) sum[k][i] += adapted[i];
            }
        }
        float fraction = totalIterations <= 1 ? 1 : (float)iteration / (totalIterations - 1);
        float epsilon = Options.MetaStep + (Options.FinalMetaStep - Options.MetaStep) * fraction;
        for (int k = 0; k < parameters.Count; k++)
        {
            var values = parameters[k].Span;
            var origin = start[k].Span;
            for (int i = 0; i < values.Length; i++) values[i] = origin[i] + epsilon * (float)(sum[k][i] / tasks.Count - origin[i]);
        }
    }
}
