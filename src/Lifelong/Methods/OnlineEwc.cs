using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Online EWC: L(θ) = L_t(θ) + λ/2 · Σ_i γF*_{t−1,i} (θ_i − θ*_{t−1,i})², with F*_t = γF*_{t−1} + F_t (Schwarz et al. 2018, Eqs. 8–9).</summary>
/// <remarks>
/// <para>One running Fisher and one anchor (the parameters at the end of the latest task), so memory does not grow with the
/// number of tasks; γ &lt; 1 lets old tasks be forgotten gracefully. The γ inside the penalty follows Eq. 8 (and van de
/// Ven's code); with the default γ = 1 (mammoth's best setting) it makes no difference.</para>
/// <para>Progress &amp; Compress normalises each task's Fisher before accumulating it so that every task is protected
/// equally; the paper's normalisation is not specified in our notes, so <see cref="OnlineEwcOptions.Normalize"/> divides
/// F_t by its mean over all parameters (our choice), which makes λ comparable across tasks and models.</para>
/// </remarks>
[Method("forgetting", "Schwarz et al. 2018, Progress & Compress, ICML (online EWC)")]
public sealed class OnlineEwc(OnlineEwcOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "ewc-online";

    private Dictionary<Parameter, Tensor>? _fisher;
    private Dictionary<Parameter, Tensor>? _anchor;
    private Rng? _rng;
    private Module? _network;

    /// <summary>Online EWC with the default options.</summary>
    public OnlineEwc() : this(new OnlineEwcOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The running Fisher F*, or null before the first task ends.</summary>
    public IReadOnlyDictionary<Parameter, Tensor>? Fisher => _fisher;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => (_rng, _network) = (learner.Rng.Split(Name), learner.Network);

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _fisher is null || _anchor is null ? null : ParameterMaps.Quadratic(_fisher, _anchor)! * (options.Lambda * options.Gamma / 2);

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var rng = _rng ?? throw new InvalidOperationException("OnlineEwc: OnRunStart was not called.");
        var fisher = FisherInformation.Diagonal(learner.Model, TaskSamples.Draw(learner, task, options.Samples, rng), options.Fisher, rng);
        if (options.Normalize)
        {
            double sum = fisher.Values.Sum(f => (double)f.Sum().Item());
            long count = fisher.Values.Sum(f => (long)f.Size);
            if (sum > 0) fisher = fisher.ToDictionary(e => e.Key, e => e.Value * (float)(count / sum));
        }
        _fisher = _fisher is null ? fisher : ParameterMaps.Combine(_fisher, options.Gamma, fisher, 1);
        _anchor = learner.Network.Snapshot();
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_network is null || _rng is null) return;
        if (_fisher is not null) state.SetParameterTensors("fisher", _fisher, _network);
        if (_anchor is not null) state.SetParameterTensors("anchor", _anchor, _network);
        state.SetRng("rng", _rng);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        var fisher = state.GetParameterTensors("fisher", _network);
        var anchor = state.GetParameterTensors("anchor", _network);
        (_fisher, _anchor) = fisher.Count == 0 ? (null, null) : (fisher, anchor);
        _rng = learner.Rng.Split(Name);
        state.GetRng("rng", _rng);
    }
}

/// <summary>Options of <see cref="OnlineEwc"/>.</summary>
/// <param name="Lambda">Penalty strength λ.</param>
/// <param name="Gamma">Decay γ of the running Fisher (1: never forget; mammoth's best on permuted MNIST).</param>
/// <param name="Fisher">Fisher estimator: exact, sample or empirical.</param>
/// <param name="Samples">Training samples the Fisher is averaged over at each task end (0: the whole training set).</param>
/// <param name="Normalize">Divide each task's Fisher by its mean before accumulating it (Progress &amp; Compress normalises; the form is ours).</param>
public sealed record OnlineEwcOptions([NonNegative] float Lambda = 100f, [Probability] float Gamma = 1f, FisherLabels Fisher = FisherLabels.Exact, [NonNegative] int Samples = 1000, bool Normalize = false);
