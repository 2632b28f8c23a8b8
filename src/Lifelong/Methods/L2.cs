using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="L2"/>.</summary>
/// <param name="Lambda">λ; the gradient of the penalty is λθ. The L2 Init paper's best on permuted and random-label MNIST is 1e-2.</param>
public sealed record L2Options([NonNegative] float Lambda = 1e-2f)
{
    /// <summary>λ ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");
}

/// <summary>L2 regularization toward zero, loss += λ/2 · Σ θ² — the baseline L2 Init is compared with.</summary>
/// <remarks>As the L2 Init code's L2 agent: coupled (in the loss, so Adam normalises it), over every weight and bias,
/// LayerNorm excluded. It stops weights from growing, but (Dohare et al. 2024) not units from dying.</remarks>
[Method("plasticity", "the L2 baseline of Kumar, Marklund & Van Roy 2023 (arXiv 2308.11958) and Dohare et al. 2024")]
public sealed class L2(L2Options options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "l2";

    private List<Parameter> _parameters = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public L2Options Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _parameters = ParameterSelection.WeightsAndBiases(learner.Network);

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) => Anchors.HalfSquaredDistance(_parameters, null) * Options.Lambda;

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner) => OnRunStart(learner);
}
