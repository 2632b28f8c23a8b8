using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="L2Init"/>.</summary>
/// <param name="Lambda">λ; the gradient of the penalty is λ(θ − θ₀). The paper's best single value across problems is 1e-2.</param>
public sealed record L2InitOptions([NonNegative] float Lambda = 1e-2f)
{
    /// <summary>λ ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");
}

/// <summary>L2 Init: regenerative regularization toward the initial parameters, loss += λ/2 · Σ (θ − θ₀)².</summary>
/// <remarks>
/// Kumar, Marklund &amp; Van Roy 2023 (arXiv 2308.11958). θ₀ is the parameter vector at the start of the run; the sum runs
/// over every weight and bias of every layer, LayerNorm's parameters excluded. The paper prints λ‖θ − θ₀‖² but its
/// official code (and its Appendix A.3) uses ½λ, so the gradient term is λ(θ − θ₀): we follow the code, so its λ values
/// carry over. Under SGD the update is θ ← (1 − αλ)θ + αλθ₀ − α∇L: a pull toward the initial weights that keeps
/// them from growing and units from dying, which is how it keeps plasticity.
/// </remarks>
[Method("plasticity", "Kumar, Marklund & Van Roy 2023, Maintaining Plasticity in Continual Learning via Regenerative Regularization, arXiv 2308.11958")]
public sealed class L2Init(L2InitOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "l2init";

    private List<Parameter> _parameters = [];
    private Dictionary<Parameter, Tensor> _initial = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public L2InitOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        _initial = _parameters.ToDictionary(p => p, p => p.Clone());
    }

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) => Anchors.HalfSquaredDistance(_parameters, _initial) * Options.Lambda;

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => state.SetParameterTensors("initial", _initial, learner.Network);

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        _initial = state.GetParameterTensors("initial", learner.Network);
    }
}
