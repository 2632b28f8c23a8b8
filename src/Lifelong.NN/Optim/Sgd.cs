using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov and coupled weight decay, as PyTorch's <c>torch.optim.SGD</c>.</summary>
/// <remarks>
/// Per parameter θ with gradient g, at step t (μ momentum, τ dampening, λ weight decay, η learning rate):
/// <code>
/// g ← g + λ·θ                          (when λ ≠ 0)
/// b ← g                                (t = 1, no dampening on the first step)
/// b ← μ·b + (1 − τ)·g                  (t &gt; 1)          } when μ ≠ 0
/// g ← g + μ·b  (Nesterov)  or  g ← b   (otherwise)        }
/// θ ← θ − η·g
/// </code>
/// The buffer b is the state tensor <c>momentum_buffer</c>, created on the first update when μ ≠ 0. A buffer zeroed by
/// <see cref="Optimizer.ResetState(Tensor, ReadOnlySpan{int}, int)"/> is an existing buffer: the next step uses the t &gt; 1 rule.
/// The gradient tensor is never modified.
/// </remarks>
public sealed class Sgd : Optimizer<SgdParamGroup>
{
    /// <summary>The name of the momentum state tensor.</summary>
    public const string MomentumBuffer = "momentum_buffer";

    /// <summary>Optimizes <paramref name="parameters"/> as one group; more groups can be added with <see cref="Optimizer{TGroup}.AddParamGroup(IEnumerable{Tensor}, Action{TGroup})"/>.</summary>
    /// <param name="parameters">The parameters (leaves that require grad).</param>
    /// <param name="lr">Learning rate η.</param>
    /// <param name="momentum">Momentum factor μ (0 = plain SGD).</param>
    /// <param name="dampening">Dampening τ of the gradient in the momentum buffer.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0 and τ = 0, as PyTorch).</param>
    /// <param name="weightDecay">Coupled weight decay λ (L2 penalty added to the gradient).</param>
    public Sgd(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameters, Validated(lr, momentum, dampening, nesterov, weightDecay))
    {
    }

    private static SgdParamGroup Validated(double lr, double momentum, double dampening, bool nesterov, double weightDecay)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), $"Sgd: invalid learning rate {lr}; it must be ≥ 0.");
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), $"Sgd: invalid momentum {momentum}; it must be ≥ 0.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Sgd: invalid weight decay {weightDecay}; it must be ≥ 0.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Sgd: Nesterov momentum requires a momentum > 0 and zero dampening (as PyTorch).", nameof(nesterov));
        return new SgdParamGroup { Params = [], Lr = lr, Momentum = momentum, Dampening = dampening, Nesterov = nesterov, WeightDecay = weightDecay };
    }

    /// <inheritdoc/>
    protected override void InitializeState(Tensor parameter, ParameterState state)
    {
        // The buffer is created by the first update (b ← g), so that a fresh state is told apart from a reset one.
    }

    /// <inheritdoc/>
    protected override void Update(SgdParamGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state)
    {
        var theta = parameter.Span;
        ReadOnlySpan<float> g = grad;
        if (group.WeightDecay != 0)
        {
            var decayed = Scratch(0, grad.Length);
            TensorPrimitives.MultiplyAdd(theta, (float)group.WeightDecay, grad, decayed);   // g + λθ
            g = decayed;
        }
        if (group.Momentum != 0)
        {
            float mu = (float)group.Momentum;
            var bufferTensor = state.Get(MomentumBuffer);
            if (bufferTensor is null)
            {
                bufferTensor = Tensor.FromSpan(g, parameter.Shape);
                state.Set(MomentumBuffer, bufferTensor);
            }
            else
            {
                var b = bufferTensor.Span;
                TensorPrimitives.Multiply(b, mu, b);
                TensorPrimitives.MultiplyAdd(g, (float)(1 - group.Dampening), b, b);
            }
            if (group.Nesterov)
            {
                var look = Scratch(0, grad.Length);
                TensorPrimitives.MultiplyAdd(bufferTensor.Span, mu, g, look);   // g + μb (g may alias look: elementwise, same index)
                g = look;
            }
            else
            {
                g = bufferTensor.Span;
            }
        }
        Elementwise.MultiplyAdd(g, (float)-group.Lr, theta, theta);   // on the engine's threads when large
    }
}

/// <summary>A parameter group of <see cref="Sgd"/>.</summary>
public sealed record SgdParamGroup : ParamGroup
{
    /// <summary>Momentum factor μ.</summary>
    public double Momentum { get; set; }

    /// <summary>Dampening τ.</summary>
    public double Dampening { get; set; }

    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, double>> Hyperparameters() =>
        [.. base.Hyperparameters(), new("momentum", Momentum), new("dampening", Dampening), new("nesterov", Nesterov ? 1 : 0)];

    /// <inheritdoc/>
    public override bool TrySetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "momentum": Momentum = value; return true;
            case "dampening": Dampening = value; return true;
            case "nesterov": Nesterov = value != 0; return true;
            default: return base.TrySetHyperparameter(name, value);
        }
    }
}
