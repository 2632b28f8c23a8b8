using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Adam with coupled (L2) weight decay and bias correction, as PyTorch's <c>torch.optim.Adam</c> (without amsgrad).</summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t (β₁, β₂ decay rates, ε, λ weight decay, η learning rate):
/// <code>
/// g ← g + λ·θ                        (when λ ≠ 0: coupled, the decay passes through the moments)
/// m ← β₁·m + (1 − β₁)·g              (exp_avg)
/// v ← β₂·v + (1 − β₂)·g²             (exp_avg_sq)
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// m and v start at zero. The step t is one count per parameter (<see cref="ParameterState.Step"/>): an element whose
/// moments are reset by <see cref="Optimizer.ResetState(Tensor, ReadOnlySpan{int}, int)"/> keeps the parameter's t, as
/// PyTorch would and as Continual Backprop's official code does, so its first bias-corrected updates are smaller than a
/// fresh parameter's. Bias corrections are computed in double, as PyTorch does with Python floats.
/// Adam (Kingma and Ba, 2015).
/// </remarks>
public sealed class Adam : Optimizer<AdamParamGroup>
{
    /// <summary>The name of the first-moment state tensor m.</summary>
    public const string ExpAvg = "exp_avg";

    /// <summary>The name of the second-moment state tensor v.</summary>
    public const string ExpAvgSq = "exp_avg_sq";

    /// <summary>Optimizes <paramref name="parameters"/> as one group; more groups can be added with <see cref="Optimizer{TGroup}.AddParamGroup(IEnumerable{Tensor}, Action{TGroup})"/>.</summary>
    /// <param name="parameters">The parameters (leaves that require grad).</param>
    /// <param name="lr">Learning rate η.</param>
    /// <param name="beta1">Decay rate β₁ of the first moment.</param>
    /// <param name="beta2">Decay rate β₂ of the second moment.</param>
    /// <param name="eps">ε added to the denominator.</param>
    /// <param name="weightDecay">Coupled weight decay λ (L2 penalty added to the gradient).</param>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0)
        : base(parameters, AdamParamGroup.Validated(nameof(Adam), lr, beta1, beta2, eps, weightDecay))
    {
    }

    /// <inheritdoc/>
    protected override void InitializeState(Tensor parameter, ParameterState state) => InitializeMoments(parameter, state);

    /// <inheritdoc/>
    protected override void Update(AdamParamGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state)
    {
        ReadOnlySpan<float> g = grad;
        if (group.WeightDecay != 0)
        {
            var decayed = Scratch(0, grad.Length);
            TensorPrimitives.MultiplyAdd(parameter.Span, (float)group.WeightDecay, grad, decayed);   // g + λθ
            g = decayed;
        }
        ApplyAdam(group, parameter.Span, g, state);
    }

    internal static void InitializeMoments(Tensor parameter, ParameterState state)
    {
        state.Set(ExpAvg, Tensor.ZerosLike(parameter));
        state.Set(ExpAvgSq, Tensor.ZerosLike(parameter));
    }

    /// <summary>The Adam moment updates and bias-corrected step shared by <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
    /// <param name="group">Hyperparameters (its weight decay is not used here).</param>
    /// <param name="theta">The parameter, updated in place.</param>
    /// <param name="g">The (possibly decayed) gradient; it may live in scratch slot 0.</param>
    /// <param name="state">m, v and the step t (already incremented).</param>
    internal static void ApplyAdam(AdamParamGroup group, Span<float> theta, ReadOnlySpan<float> g, ParameterState state)
    {
        double beta1 = group.Beta1, beta2 = group.Beta2;
        var m = state[ExpAvg].Span;
        var v = state[ExpAvgSq].Span;

        double biasCorrection1 = 1 - Math.Pow(beta1, state.Step);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, state.Step));
        double stepSize = group.Lr / biasCorrection1;
        AdamKernel.Apply(theta, g, m, v, (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2), (float)stepSize, (float)biasCorrection2Sqrt, (float)group.Eps);
    }
}

/// <summary>A parameter group of <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
public sealed record AdamParamGroup : ParamGroup
{
    /// <summary>Decay rate β₁ of the first moment.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Decay rate β₂ of the second moment.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>ε added to the denominator for numerical stability.</summary>
    public double Eps { get; set; } = 1e-8;

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> Hyperparameters() =>
        [.. base.Hyperparameters(), new("beta1", Beta1), new("beta2", Beta2), new("eps", Eps)];

    /// <inheritdoc/>
    public override bool TrySetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "beta1": Beta1 = value; return true;
            case "beta2": Beta2 = value; return true;
            case "eps": Eps = value; return true;
            default: return base.TrySetHyperparameter(name, value);
        }
    }

    internal static AdamParamGroup Validated(string optimizer, double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), $"{optimizer}: invalid learning rate {lr}; it must be ≥ 0.");
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), $"{optimizer}: invalid beta1 {beta1}; it must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), $"{optimizer}: invalid beta2 {beta2}; it must be in [0, 1).");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), $"{optimizer}: invalid eps {eps}; it must be ≥ 0.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"{optimizer}: invalid weight decay {weightDecay}; it must be ≥ 0.");
        return new AdamParamGroup { Params = [], Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, WeightDecay = weightDecay };
    }
}
