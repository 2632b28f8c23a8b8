using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="L1Init"/>.</summary>
/// <param name="Lambda">λ of λ·Σ|θ − θ₀| (no ½, as the L2 Init code's l1_weight).</param>
public sealed record L1InitOptions([NonNegative] float Lambda = 1e-4f)
{
    /// <summary>λ ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");
}

/// <summary>L1 Init, the L2 Init paper's ablation: loss += λ · Σ |θ − θ₀|.</summary>
/// <remarks>Kumar et al. 2023 §5.3: an L1 pull toward the initial parameters instead of L2; the same parameter set as
/// <see cref="L2Init"/>. The paper reports it matches L2 Init on Random Label MNIST and does slightly worse on Permuted
/// MNIST and 5+1 CIFAR; the code's random-label launcher runs it at λ = 1e-3, ten times this default.</remarks>
[Method("plasticity", "Kumar, Marklund & Van Roy 2023 §5.3 (ablation of L2 Init), arXiv 2308.11958")]
public sealed class L1Init(L1InitOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "l1init";

    private List<Parameter> _parameters = [];
    private Dictionary<Parameter, Tensor> _initial = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public L1InitOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        _initial = _parameters.ToDictionary(p => p, p => p.Clone());
    }

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) => Anchors.AbsoluteDistance(_parameters, _initial) * Options.Lambda;

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => state.SetParameterTensors("initial", _initial, learner.Network);

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        _initial = state.GetParameterTensors("initial", learner.Network);
    }
}
