using Lifelong.NN;

namespace Lifelong.Rl.Agents;

/// <summary>Gradient clipping by global norm (PyTorch's <c>clip_grad_norm_</c>).</summary>
public static class GradientClipping
{
    /// <summary>Scales every gradient by max / (‖g‖ + 1e-6) when the global norm ‖g‖ over <paramref name="parameters"/> exceeds
    /// <paramref name="maxNorm"/>; returns ‖g‖ before clipping.</summary>
    public static double ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        double squares = 0;
        foreach (var g in grads)
            foreach (float v in g.Span) squares += (double)v * v;
        double norm = Math.Sqrt(squares);
        double scale = maxNorm / (norm + 1e-6);
        if (scale < 1)
            foreach (var g in grads)
            {
                var span = g.Span;
                for (int i = 0; i < span.Length; i++) span[i] = (float)(span[i] * scale);
            }
        return norm;
    }
}
