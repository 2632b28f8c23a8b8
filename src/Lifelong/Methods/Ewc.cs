using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Elastic weight consolidation: L(θ) = L_t(θ) + Σ_{k&lt;t} λ/2 · Σ_i F_k,i (θ_i − θ*_k,i)² (Kirkpatrick et al. 2017, Eq. 3).</summary>
/// <remarks>
/// <para>At the end of task k the method stores the parameters θ*_k and the diagonal Fisher F_k of the task's training
/// data (<see cref="FisherInformation"/>), then penalises movement away from every stored θ*_k in proportion to F_k.</para>
/// <para>With three or more tasks the paper allows one penalty per task or a single combined one, "since the sum of two
/// quadratic penalties is itself a quadratic penalty": Σ_k F_k(θ − θ*_k)² = F(θ − θ̄)² + const with F = Σ_k F_k and
/// θ̄ = Σ_k F_k θ*_k / F. <see cref="EwcPenalty.Combined"/> stores that one (F, θ̄) pair, so its gradient equals the
/// per-task one at a constant cost per step.</para>
/// <para>The paper reports neither λ nor the Fisher estimator for MNIST. Defaults follow van de Ven et al.'s reference
/// code (λ = 100 on permuted MNIST; the exact Fisher; the ½ factor kept).</para>
/// </remarks>
[Method("forgetting", "Kirkpatrick et al. 2017, Overcoming catastrophic forgetting in neural networks, PNAS")]
public sealed class Ewc(EwcOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "ewc";

    private readonly List<(Dictionary<Parameter, Tensor> Fisher, Dictionary<Parameter, Tensor> Anchor)> _penalties = [];
    private Rng? _rng;
    private Module? _network;

    /// <summary>EWC with the default options.</summary>
    public Ewc() : this(new EwcOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The stored (Fisher, anchor) pairs: one per finished task, or one in all with <see cref="EwcPenalty.Combined"/>.</summary>
    public IReadOnlyList<(Dictionary<Parameter, Tensor> Fisher, Dictionary<Parameter, Tensor> Anchor)> Penalties => _penalties;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => (_rng, _network) = (learner.Rng.Split(Name), learner.Network);

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        Tensor? total = null;
        foreach (var (fisher, anchor) in _penalties)
            if (ParameterMaps.Quadratic(fisher, anchor) is { } term) total = total is null ? term : total + term;
        return total is null ? null : total * (options.Lambda / 2);
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var rng = _rng ?? throw new InvalidOperationException("Ewc: OnRunStart was not called.");
        var fisher = FisherInformation.Diagonal(learner.Model, TaskSamples.Draw(learner, task, options.Samples, rng), options.Fisher, rng);
        var anchor = learner.Network.Snapshot();
        if (options.Penalty == EwcPenalty.PerTask || _penalties.Count == 0)
        {
            _penalties.Add((fisher, anchor));
            return;
        }
        var (oldFisher, oldAnchor) = _penalties[0];
        using (Autograd.NoGrad())
        {
            var sum = ParameterMaps.Combine(oldFisher, 1, fisher, 1);
            // θ̄ = (F_old θ̄_old + F_t θ*_t) / (F_old + F_t); where both are 0 the penalty is 0 and any anchor will do.
            var mean = sum.ToDictionary(e => e.Key, e =>
            {
                var numerator = oldFisher[e.Key] * oldAnchor[e.Key] + fisher[e.Key] * anchor[e.Key];
                var zero = e.Value.Eq(0f);
                return zero.Where(anchor[e.Key], numerator / zero.Where(Tensor.OnesLike(e.Value), e.Value));
            });
            _penalties[0] = (sum, mean);
        }
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_network is null || _rng is null) return;
        state.Values["penalties"] = _penalties.Count;
        for (int k = 0; k < _penalties.Count; k++)
        {
            state.SetParameterTensors($"fisher{k}", _penalties[k].Fisher, _network);
            state.SetParameterTensors($"anchor{k}", _penalties[k].Anchor, _network);
        }
        state.SetRng("rng", _rng);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        _penalties.Clear();
        int count = state.Values["penalties"]!.GetValue<int>();
        for (int k = 0; k < count; k++)
            _penalties.Add((state.GetParameterTensors($"fisher{k}", learner.Network), state.GetParameterTensors($"anchor{k}", learner.Network)));
        _rng = learner.Rng.Split(Name);
        state.GetRng("rng", _rng);
    }
}

/// <summary>How <see cref="Ewc"/> keeps the penalties of several finished tasks.</summary>
public enum EwcPenalty
{
    /// <summary>One (Fisher, anchor) pair per task, as van de Ven et al.'s offline EWC.</summary>
    PerTask,

    /// <summary>One pair in all: the summed Fisher and the Fisher-weighted mean anchor (same gradient, constant cost).</summary>
    Combined,
}

/// <summary>Options of <see cref="Ewc"/>.</summary>
/// <param name="Lambda">Penalty strength λ (the paper's is tuned and unreported for MNIST; van de Ven's code: 100 on permuted MNIST, 1e5 on task-incremental split MNIST).</param>
/// <param name="Fisher">Fisher estimator: exact (expectation over the predicted classes), sample (one drawn label) or empirical (the true label).</param>
/// <param name="Samples">Training samples the Fisher is averaged over at each task end (0: the whole training set).</param>
/// <param name="Penalty">One penalty per task, or one combined (equal gradient, constant cost).</param>
public sealed record EwcOptions([NonNegative] float Lambda = 100f, FisherLabels Fisher = FisherLabels.Exact, [NonNegative] int Samples = 1000, EwcPenalty Penalty = EwcPenalty.PerTask);
