using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Memory aware synapses: L(θ) = L_t(θ) + λ · Σ_ij Ω_ij (θ_ij − θ*_ij)², with Ω_ij = mean over inputs x of |∂‖f(x; θ)‖²₂ / ∂θ_ij| (Aljundi et al. 2018).</summary>
/// <remarks>
/// <para>The importance is unsupervised: it measures how sensitive the squared norm of the output (the logits of the
/// sample's head) is to each parameter, and needs no labels. It is computed per sample (batch size 1), as the paper
/// defines it; the official code back-propagates whole batches and averages |gradient| over batches, which is cheaper
/// but lets gradients of different samples cancel before the absolute value.</para>
/// <para>The importances of successive tasks are summed and θ* is the parameters at the end of the latest task.</para>
/// </remarks>
[Method("forgetting", "Aljundi et al. 2018, Memory Aware Synapses: Learning what (not) to forget, ECCV")]
public sealed class Mas(MasOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "mas";

    private Module? _network;
    private Dictionary<Parameter, Tensor>? _importance;
    private Dictionary<Parameter, Tensor>? _anchor;
    private Rng? _rng;

    /// <summary>MAS with the default options.</summary>
    public Mas() : this(new MasOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The accumulated importances Ω (null before the first task ends).</summary>
    public IReadOnlyDictionary<Parameter, Tensor>? Importance => _importance;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => (_network, _rng) = (learner.Network, learner.Rng.Split(Name));

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _importance is null || _anchor is null ? null : ParameterMaps.Quadratic(_importance, _anchor)! * options.Lambda;

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var rng = _rng ?? throw new InvalidOperationException("Mas: OnRunStart was not called.");
        var importance = Importances(learner.Model, TaskSamples.Draw(learner, task, options.Samples, rng));
        _importance = _importance is null ? importance : ParameterMaps.Combine(_importance, 1, importance, 1);
        _anchor = learner.Network.Snapshot();
    }

    /// <summary>Ω = mean over the rows of <paramref name="samples"/> of |∂‖f(x)‖²₂/∂θ|, keyed by parameter.</summary>
    public static Dictionary<Parameter, Tensor> Importances(ContinualModel model, IEnumerable<TrainingBatch> samples)
    {
        var parameters = model.Network.Parameters().ToList();
        var sums = parameters.Select(p => new float[p.Size]).ToArray();
        int n = 0;
        foreach (var one in TaskSamples.OneByOne(samples))
        {
            var gradients = Autograd.Grad(model.Forward(one.ToTensor(), one.Heads).Square().Sum(), parameters);
            for (int k = 0; k < parameters.Count; k++)
            {
                var g = gradients[k].Span;
                var sum = sums[k];
                for (int i = 0; i < sum.Length; i++) sum[i] += MathF.Abs(g[i]);
            }
            n++;
        }
        if (n == 0) throw new ArgumentException("MAS importance: no samples.", nameof(samples));
        return parameters.Select((p, k) => (p, k)).ToDictionary(e => e.p, e => Tensor.FromArray(sums[e.k], e.p.Shape.ToArray()) * (1f / n));
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_network is null || _rng is null) return;
        if (_importance is not null) state.SetParameterTensors("importance", _importance, _network);
        if (_anchor is not null) state.SetParameterTensors("anchor", _anchor, _network);
        state.SetRng("rng", _rng);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        var importance = state.GetParameterTensors("importance", _network);
        (_importance, _anchor) = importance.Count == 0 ? (null, null) : (importance, state.GetParameterTensors("anchor", _network));
        _rng = learner.Rng.Split(Name);
        state.GetRng("rng", _rng);
    }
}

/// <summary>Options of <see cref="Mas"/>.</summary>
/// <param name="Lambda">Penalty strength λ.</param>
/// <param name="Samples">Training samples the importance is averaged over at each task end (0: the whole training set).</param>
public sealed record MasOptions([NonNegative] float Lambda = 1f, [NonNegative] int Samples = 1000);
