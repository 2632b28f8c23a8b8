using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Synaptic intelligence: L(θ) = L_t(θ) + c · Σ_k Ω_k (θ_k − θ̃_k)², with importances Ω learned online along the training trajectory (Zenke, Poole &amp; Ganguli 2017).</summary>
/// <remarks>
/// <para>At every step each parameter's contribution to the drop in loss is accumulated, ω_k ← ω_k − g_k·Δθ_k, where g is
/// the gradient the optimizer used and Δθ the update it made. At the end of a task, Ω_k += ω_k / ((θ_k(end) − θ_k(start))² + ξ),
/// ω is reset, and θ̃ becomes the parameters at the end of the task.</para>
/// <para>g is the gradient of the total loss (including this penalty), as in van de Ven et al.'s reference code. Defaults:
/// mammoth's best arguments on permuted MNIST (c = 0.5, ξ = 1.0); van de Ven's code uses ξ = 0.1.</para>
/// </remarks>
[Method("forgetting", "Zenke, Poole & Ganguli 2017, Continual Learning Through Synaptic Intelligence, ICML")]
public sealed class Si(SiOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "si";

    private Module? _network;
    private Dictionary<Parameter, Tensor> _path = [];
    private Dictionary<Parameter, Tensor>? _importance;
    private Dictionary<Parameter, Tensor> _start = [];
    private Dictionary<Parameter, float[]> _gradient = [];
    private Dictionary<Parameter, float[]> _before = [];

    /// <summary>SI with the default options.</summary>
    public Si() : this(new SiOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The consolidated importances Ω (null before the first task ends).</summary>
    public IReadOnlyDictionary<Parameter, Tensor>? Importance => _importance;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _network = learner.Network;
        _path = ParameterMaps.Zeros(_network);
        _start = _network.Snapshot();
    }

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task) => _start = learner.Network.Snapshot();

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _importance is null ? null : ParameterMaps.Quadratic(_importance, _start)! * options.C;

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        foreach (var p in learner.Network.Parameters())
        {
            _gradient[p] = p.Grad?.ToArray() ?? new float[p.Size];
            _before[p] = p.ToArray();
        }
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        foreach (var p in learner.Network.Parameters())
        {
            var path = _path[p].Span;
            var after = p.Span;
            var (g, before) = (_gradient[p], _before[p]);
            for (int i = 0; i < path.Length; i++) path[i] -= g[i] * (after[i] - before[i]);
        }
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var network = learner.Network;
        _importance ??= ParameterMaps.Zeros(network);
        foreach (var p in network.Parameters())
        {
            var omega = _importance[p].Span;
            var path = _path[p].Span;
            var start = _start[p].Span;
            var end = p.Span;
            for (int i = 0; i < omega.Length; i++)
            {
                float delta = end[i] - start[i];
                omega[i] += path[i] / (delta * delta + options.Xi);
            }
            path.Clear();
        }
        _start = network.Snapshot();
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_network is null) return;
        state.SetParameterTensors("path", _path, _network);
        state.SetParameterTensors("start", _start, _network);
        if (_importance is not null) state.SetParameterTensors("importance", _importance, _network);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        _path = state.GetParameterTensors("path", _network).ToDictionary(e => e.Key, e => e.Value.Clone());
        _start = state.GetParameterTensors("start", _network);
        var importance = state.GetParameterTensors("importance", _network).ToDictionary(e => e.Key, e => e.Value.Clone());
        _importance = importance.Count == 0 ? null : importance;
    }
}

/// <summary>Options of <see cref="Si"/>.</summary>
/// <param name="C">Penalty strength c (mammoth perm-MNIST: 0.5).</param>
/// <param name="Xi">Damping ξ of the importance denominator (mammoth perm-MNIST: 1.0; van de Ven: 0.1).</param>
public sealed record SiOptions([NonNegative] float C = 0.5f, [Positive] float Xi = 1f);
