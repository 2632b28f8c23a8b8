using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="Ewc"/>.</summary>
/// <param name="Lambda">λ; the penalty is λ/2 · Σ F(θ − θ*)². The paper does not report its MNIST λ; 100 is van de Ven et al.'s default for permuted MNIST (their split MNIST values are far larger: 1e5 task-, 1e9 class-incremental).</param>
/// <param name="Fisher">exact (expectation over the predicted classes), sample (one sampled label) or empirical (the true label).</param>
/// <param name="Samples">Training inputs of each task the Fisher is averaged over.</param>
/// <param name="Combined">Keep one penalty, Σ_t F_t summed with the latest anchor, instead of one quadratic penalty per task ("the sum of two quadratic penalties is itself a quadratic penalty").</param>
public sealed record EwcOptions(float Lambda = 100f, FisherKind Fisher = FisherKind.Exact, int Samples = 500, bool Combined = false)
{
    /// <summary>λ ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");

    /// <summary>Samples ≥ 1.</summary>
    public int Samples { get; } = Samples >= 1 ? Samples : throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "samples must be ≥ 1.");
}

/// <summary>Elastic weight consolidation: loss += λ/2 · Σ_tasks Σᵢ F_{t,i} (θᵢ − θ*_{t,i})², F the diagonal Fisher information at the end of each task.</summary>
/// <remarks>
/// Kirkpatrick et al., "Overcoming catastrophic forgetting in neural networks", PNAS 2017, eq. 3: a Laplace approximation
/// of the posterior of the earlier tasks, whose precision F says how much each weight matters to them. At the end of
/// each task the Fisher diagonal is computed on that task's training data (<see cref="FisherInformation"/>; the paper
/// does not say how it was estimated for MNIST) and stored with the task's final weights θ*; later tasks pay for moving
/// important weights. All parameters are penalised (every head included).
/// </remarks>
[Method("forgetting", "Kirkpatrick et al. 2017, Overcoming catastrophic forgetting in neural networks, PNAS 114(13)")]
public sealed class Ewc(EwcOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "ewc";

    private readonly List<(Dictionary<Parameter, Tensor> Anchor, Dictionary<Parameter, Tensor> Fisher)> _penalties = [];
    private List<Parameter> _parameters = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public EwcOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _parameters = [.. learner.Network.Parameters()];

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        if (_penalties.Count == 0) return null;
        Tensor? total = null;
        foreach (var (anchor, fisher) in _penalties)
        {
            var term = Anchors.WeightedHalfSquaredDistance(_parameters, anchor, fisher);
            total = total is null ? term : total + term;
        }
        return total! * Options.Lambda;
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var fisher = FisherInformation.Diagonal(learner, task, _parameters, Options.Fisher, Options.Samples, learner.Rng.Split($"{Name}/fisher/{task.Id}"));
        var anchor = _parameters.ToDictionary(p => p, p => p.Clone());
        if (Options.Combined && _penalties.Count == 1)
        {
            var sum = _parameters.ToDictionary(p => p, p => _penalties[0].Fisher[p] + fisher[p]);
            _penalties[0] = (anchor, sum);
        }
        else _penalties.Add((anchor, fisher));
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.Values["penalties"] = _penalties.Count;
        for (int t = 0; t < _penalties.Count; t++)
        {
            state.SetParameterTensors($"anchor{t}", _penalties[t].Anchor, learner.Network);
            state.SetParameterTensors($"fisher{t}", _penalties[t].Fisher, learner.Network);
        }
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        _penalties.Clear();
        int count = state.Values["penalties"]!.GetValue<int>();
        for (int t = 0; t < count; t++)
            _penalties.Add((state.GetParameterTensors($"anchor{t}", learner.Network), state.GetParameterTensors($"fisher{t}", learner.Network)));
    }
}
