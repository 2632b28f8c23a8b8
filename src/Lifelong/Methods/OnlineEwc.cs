using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="OnlineEwc"/>.</summary>
/// <param name="Lambda">λ of the penalty λ/2 · Σ F*(θ − θ*)²; 100 as <see cref="EwcOptions.Lambda"/>.</param>
/// <param name="Gamma">γ ≤ 1 of F* ← γF* + F_t: how fast older tasks' importance fades; 1 keeps it all (Mammoth's best on permuted MNIST).</param>
/// <param name="Fisher">exact, sample or empirical labels.</param>
/// <param name="Samples">Training inputs per Fisher.</param>
/// <param name="Normalize">Scale each task's Fisher to a maximum of 1 before accumulating, so every task is protected alike (Progress &amp; Compress normalises per task).</param>
public sealed record OnlineEwcOptions(float Lambda = 100f, float Gamma = 1f, FisherKind Fisher = FisherKind.Exact, int Samples = 500, bool Normalize = false)
{
    /// <summary>0 ≤ γ ≤ 1.</summary>
    public float Gamma { get; } = Gamma is >= 0 and <= 1 ? Gamma : throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "gamma must lie in [0, 1].");
}

/// <summary>Online EWC: one anchor (the latest weights) and one running Fisher F* ← γF* + F_t; loss += λ/2 · Σ F*(θ − θ*)².</summary>
/// <remarks>Schwarz et al., "Progress &amp; Compress", ICML 2018, eqs. 8–9: memory constant in the number of tasks. With γ = 1 and
/// one anchor it equals EWC's combined penalty re-anchored at every task.</remarks>
[Method("forgetting", "Schwarz et al. 2018, Progress & Compress: A scalable framework for continual learning, ICML (arXiv 1805.06370)")]
public sealed class OnlineEwc(OnlineEwcOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "ewc-online";

    private List<Parameter> _parameters = [];
    private Dictionary<Parameter, Tensor> _anchor = [];
    private Dictionary<Parameter, Tensor> _fisher = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public OnlineEwcOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _parameters = [.. learner.Network.Parameters()];

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _fisher.Count == 0 ? null : Anchors.WeightedHalfSquaredDistance(_parameters, _anchor, _fisher) * Options.Lambda;

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var fisher = FisherInformation.Diagonal(learner, task, _parameters, Options.Fisher, Options.Samples, learner.Rng.Split($"{Name}/fisher/{task.Id}"));
        if (Options.Normalize)
        {
            float max = fisher.Values.Max(f => f.Max().Item());
            if (max > 0) fisher = fisher.ToDictionary(f => f.Key, f => f.Value * (1f / max));
        }
        _fisher = _fisher.Count == 0 ? fisher : _parameters.ToDictionary(p => p, p => _fisher[p] * Options.Gamma + fisher[p]);
        _anchor = _parameters.ToDictionary(p => p, p => p.Clone());
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("anchor", _anchor, learner.Network);
        state.SetParameterTensors("fisher", _fisher, learner.Network);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        _anchor = state.GetParameterTensors("anchor", learner.Network);
        _fisher = state.GetParameterTensors("fisher", learner.Network);
    }
}
