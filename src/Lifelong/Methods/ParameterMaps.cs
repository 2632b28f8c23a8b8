using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Per-parameter tensors (importances, anchors) and the quadratic penalty the regularization methods share.</summary>
internal static class ParameterMaps
{
    /// <summary>Σ_p Σ_i Ω_p,i (θ_p,i − θ*_p,i)², with a graph through the parameters; null when <paramref name="importance"/> is empty.</summary>
    public static Tensor? Quadratic(IReadOnlyDictionary<Parameter, Tensor> importance, IReadOnlyDictionary<Parameter, Tensor> anchor)
    {
        Tensor? total = null;
        foreach (var (parameter, weight) in importance)
        {
            var term = (weight * (parameter - anchor[parameter]).Square()).Sum();
            total = total is null ? term : total + term;
        }
        return total;
    }

    /// <summary>A zero tensor per parameter of <paramref name="network"/>.</summary>
    public static Dictionary<Parameter, Tensor> Zeros(Module network) => network.Parameters().ToDictionary(p => p, p => Tensor.Zeros(p.Shape));

    /// <summary>Element-wise <c>a·x + b·y</c> for every parameter (no graph).</summary>
    public static Dictionary<Parameter, Tensor> Combine(IReadOnlyDictionary<Parameter, Tensor> x, float a, IReadOnlyDictionary<Parameter, Tensor> y, float b)
    {
        using (Autograd.NoGrad()) return x.ToDictionary(e => e.Key, e => e.Value * a + y[e.Key] * b);
    }
}
