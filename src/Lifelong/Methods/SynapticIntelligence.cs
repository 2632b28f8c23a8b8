using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="SynapticIntelligence"/>.</summary>
/// <param name="C">c, the penalty strength; 0.5 in Mammoth's best permuted-MNIST settings.</param>
/// <param name="Xi">ξ, the damping of the importance normaliser; 1.0 in Mammoth (0.1 in van de Ven et al.).</param>
public sealed record SiOptions(float C = 0.5f, float Xi = 1f)
{
    /// <summary>c ≥ 0.</summary>
    public float C { get; } = C >= 0 ? C : throw new ArgumentOutOfRangeException(nameof(C), C, "c must be ≥ 0.");

    /// <summary>ξ &gt; 0.</summary>
    public float Xi { get; } = Xi > 0 ? Xi : throw new ArgumentOutOfRangeException(nameof(Xi), Xi, "xi must be > 0.");
}

/// <summary>Synaptic Intelligence: each weight's importance is its path integral of −g·Δθ over a task; loss += c · Σ Ω (θ − θ̃)².</summary>
/// <remarks>
/// Zenke, Poole &amp; Ganguli, "Continual Learning Through Synaptic Intelligence", ICML 2017. Every step ωₖ += −gₖ·Δθₖ (g the
/// gradient the optimizer used, Δθ the step it took); at the end of a task Ωₖ += ωₖ / ((θₖ(end) − θₖ(start))² + ξ), ω is
/// reset and θ̃ becomes the task's final weights. Online, no extra pass over the data.
/// </remarks>
[Method("forgetting", "Zenke, Poole & Ganguli 2017, Continual Learning Through Synaptic Intelligence, ICML (arXiv 1703.04200)")]
public sealed class SynapticIntelligence(SiOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "si";

    private List<Parameter> _parameters = [];
    private Dictionary<Parameter, Tensor> _omega = [];       // running path integral of this task
    private Dictionary<Parameter, Tensor> _importance = [];  // Ω
    private Dictionary<Parameter, Tensor> _anchor = [];      // θ̃
    private Dictionary<Parameter, Tensor> _taskStart = [];
    private Dictionary<Parameter, Tensor> _before = [];
    private Dictionary<Parameter, Tensor> _gradient = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public SiOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _parameters = [.. learner.Network.Parameters()];
        _omega = _parameters.ToDictionary(p => p, p => Tensor.ZerosLike(p));
    }

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task) => _taskStart = _parameters.ToDictionary(p => p, p => p.Clone());

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _importance.Count == 0 ? null : Anchors.WeightedHalfSquaredDistance(_parameters, _anchor, _importance) * (2 * Options.C);

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        _before = _parameters.ToDictionary(p => p, p => p.Clone());
        _gradient = _parameters.ToDictionary(p => p, p => p.Grad?.Clone() ?? Tensor.ZerosLike(p));
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        foreach (var p in _parameters)
        {
            var omega = _omega[p].Span;
            var g = _gradient[p].Span;
            var before = _before[p].Span;
            var now = p.Span;
            for (int i = 0; i < omega.Length; i++) omega[i] -= g[i] * (now[i] - before[i]);
        }
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        foreach (var p in _parameters)
        {
            var importance = _importance.TryGetValue(p, out var existing) ? existing : _importance[p] = Tensor.ZerosLike(p);
            var omega = _omega[p].Span;
            var start = _taskStart[p].Span;
            var now = p.Span;
            var target = importance.Span;
            for (int i = 0; i < target.Length; i++)
            {
                float delta = now[i] - start[i];
                target[i] += omega[i] / (delta * delta + Options.Xi);
                omega[i] = 0;
            }
        }
        _anchor = _parameters.ToDictionary(p => p, p => p.Clone());
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("omega", _omega, learner.Network);
        state.SetParameterTensors("importance", _importance, learner.Network);
        state.SetParameterTensors("anchor", _anchor, learner.Network);
        state.SetParameterTensors("task_start", _taskStart, learner.Network);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _parameters = [.. learner.Network.Parameters()];
        _omega = state.GetParameterTensors("omega", learner.Network);
        _importance = state.GetParameterTensors("importance", learner.Network);
        _anchor = state.GetParameterTensors("anchor", learner.Network);
        _taskStart = state.GetParameterTensors("task_start", learner.Network);
    }
}
