using Lifelong.Catalog;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Training;

namespace PluginMethod;

/// <summary>Options of <see cref="WeightClipping"/>.</summary>
/// <param name="Kappa">κ: each weight is kept in [−κ·s, κ·s], s the largest |θ₀| of its tensor at initialisation; 2 in the paper.</param>
public sealed record WeightClippingOptions([Positive] float Kappa = 2f);

/// <summary>Weight clipping: after every step, θ ← clip(θ, −κ·s, κ·s) with s the bound of the tensor's initial values.</summary>
/// <remarks>
/// Elsayed, Lan, Lyle &amp; Mahmood 2024 keep weights near the scale of their initial distribution, which keeps a network
/// trainable over a long stream (it loses less plasticity). s is taken as the largest |θ₀| of each tensor, the bound of
/// PyTorch's U(±1/√fan_in) initialisation up to sampling. This class is all a user writes for a new method: the catalog
/// finds it by its <see cref="MethodAttribute"/> and its <c>MethodName</c> constant once the assembly is loaded as a plugin.
/// </remarks>
[Method("plasticity", "Elsayed, Lan, Lyle & Mahmood 2024, Weight Clipping for Deep Continual and Reinforcement Learning, RLC")]
public sealed class WeightClipping(WeightClippingOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "weight-clip";

    private readonly Dictionary<Parameter, float> _bounds = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _bounds.Clear();
        foreach (var parameter in ParameterSelection.WeightsAndBiases(learner.Network))
        {
            float largest = 0;
            foreach (float value in parameter.Span) largest = Math.Max(largest, Math.Abs(value));
            _bounds[parameter] = options.Kappa * largest;
        }
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        foreach (var (parameter, bound) in _bounds)
        {
            var values = parameter.Span;
            for (int i = 0; i < values.Length; i++) values[i] = Math.Clamp(values[i], -bound, bound);
        }
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        // The bounds come from the initial weights, which a resumed run no longer has: keep them with the checkpoint.
        var parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        state.Tensors["bounds"] = Tensor.FromArray([.. parameters.Select(p => _bounds[p])], parameters.Count);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        var parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        var bounds = state.Tensors["bounds"].Span;
        _bounds.Clear();
        for (int i = 0; i < parameters.Count; i++) _bounds[parameters[i]] = bounds[i];
    }
}
