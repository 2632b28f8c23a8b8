using Lifelong.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Lifelong.NN;

/// <summary>Adam with decoupled weight decay, as PyTorch's <c>torch.optim.AdamW</c> (without amsgrad).</summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t (β₁, β₂, ε, λ weight decay, η learning rate):
/// <code>
/// θ ← θ − η·λ·θ                      (decoupled: applied to θ before the Adam step, never seen by the moments)
/// m ← β₁·m + (1 − β₁)·g              (exp_avg)
/// v ← β₂·v + (1 − β₂)·g²             (exp_avg_sq)
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// The decay is scaled by the current η, as PyTorch (not by η/η₀ as in the paper), so a schedule also shrinks it.
/// State and its resets behave as in <see cref="Adam"/>. Decoupled Weight Decay Regularization (Loshchilov and Hutter, 2019).
/// </remarks>
public sealed class AdamW : Optimizer<AdamParamGroup>
{
    /// <summary>Optimizes <paramref name="parameters"/> as one group; more groups can be added with <see cref="Optimizer{TGroup}.AddParamGroup(IEnumerable{Tensor}, Action{TGroup})"/>.</summary>
    /// <param name="parameters">The parameters (leaves that require grad).</param>
    /// <param name="lr">Learning rate η.</param>
    /// <param name="beta1">Decay rate β₁ of the first moment.</param>
    /// <param name="beta2">Decay rate β₂ of the second moment.</param>
    /// <param name="eps">ε added to the denominator.</param>
    /// <param name="weightDecay">Decoupled weight decay λ (PyTorch's default 1e-2).</param>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2)
        : base(parameters, AdamParamGroup.Validated(nameof(AdamW), lr, beta1, beta2, eps, weightDecay))
    {
    }

    /// <inheritdoc/>
    protected override void InitializeState(Tensor parameter, ParameterState state) => Adam.InitializeMoments(parameter, state);

    /// <inheritdoc/>
    protected override void Update(AdamParamGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state)
    {
        var theta = parameter.Span;
        if (group.WeightDecay != 0)
            TensorPrimitives.Multiply(theta, (float)(1 - group.Lr * group.WeightDecay), theta);
        Adam.ApplyAdam(group, theta, grad, state);
    }
}
