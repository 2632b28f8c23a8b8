using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>L2 Init + Resample, the L2 Init paper's ablation: loss += λ/2 · Σ (θ − φₜ)² with φₜ a fresh draw from the
/// initial distribution at every step.</summary>
/// <remarks>Kumar et al. 2023 §5.3 (the code's <c>sample_init_values=True</c>, which builds a new model every step). Fresh
/// draws come from <see cref="ParameterSelection.FreshSample"/>. The paper finds the fixed θ₀ of L2 Init works better.</remarks>
[Method("plasticity", "Kumar, Marklund & Van Roy 2023 §5.3 (ablation of L2 Init), arXiv 2308.11958")]
public sealed class L2InitResample(L2InitOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "l2init-resample";

    private List<Parameter> _parameters = [];
    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public L2InitOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _parameters = ParameterSelection.WeightsAndBiases(learner.Network);
        _rng = learner.Rng.Split(Name);
    }

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        var sample = ParameterSelection.FreshSample(learner.Network, _rng.Split(learner.TotalSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Anchors.HalfSquaredDistance(_parameters, sample) * Options.Lambda;
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => state.SetRng("rng", _rng);

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", _rng);
    }
}
