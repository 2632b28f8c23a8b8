using Lifelong.NN;

namespace Lifelong.Methods;

/// <summary>Penalties that tie parameters to anchor values (L2 Init, L2, L1 Init, EWC's quadratic), built from tensor ops so
/// their gradients come from autograd.</summary>
public static class Anchors
{
    /// <summary>½ Σₚ Σᵢ (θᵢ − aᵢ)² over <paramref name="parameters"/> (a zero anchor where none is given).</summary>
    public static Tensor HalfSquaredDistance(IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<Parameter, Tensor>? anchors)
    {
        Tensor? total = null;
        foreach (var p in parameters)
        {
            var difference = anchors is not null && anchors.TryGetValue(p, out var anchor) ? p - anchor : p;
            var term = (difference * difference).Sum();
            total = total is null ? term : total + term;
        }
        return (total ?? Tensor.Scalar(0)) * 0.5f;
    }

    /// <summary>½ Σₚ Σᵢ Fᵢ (θᵢ − aᵢ)²: the quadratic penalty with per-coordinate weights F (EWC's Fisher diagonal).</summary>
    public static Tensor WeightedHalfSquaredDistance(IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<Parameter, Tensor> anchors, IReadOnlyDictionary<Parameter, Tensor> weights)
    {
        Tensor? total = null;
        foreach (var p in parameters)
        {
            if (!anchors.TryGetValue(p, out var anchor) || !weights.TryGetValue(p, out var weight)) continue;
            var difference = p - anchor;
            var term = (weight * difference * difference).Sum();
            total = total is null ? term : total + term;
        }
        return (total ?? Tensor.Scalar(0)) * 0.5f;
    }

    /// <summary>Σₚ Σᵢ |θᵢ − aᵢ| over <paramref name="parameters"/>.</summary>
    public static Tensor AbsoluteDistance(IReadOnlyList<Parameter> parameters, IReadOnlyDictionary<Parameter, Tensor> anchors)
    {
        Tensor? total = null;
        foreach (var p in parameters)
        {
            var term = (p - anchors[p]).Abs().Sum();
            total = total is null ? term : total + term;
        }
        return total ?? Tensor.Scalar(0);
    }
}
