using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="Mas"/>.</summary>
/// <param name="Lambda">λ of λ · Σ Ω (θ − θ*)²; 1 in the MAS paper's object-recognition experiments.</param>
/// <param name="Samples">Training inputs of each task the importance is averaged over.</param>
/// <param name="BatchSize">Inputs per gradient of ‖f(x)‖² (the official code takes the gradient per batch).</param>
public sealed record MasOptions(float Lambda = 1f, int Samples = 1_000, int BatchSize = 32)
{
    /// <summary>λ ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");
}

/// <summary>Memory Aware Synapses: importance Ω = mean over data of |∂‖f(x)‖²₂/∂θ|, unsupervised; loss += λ · Σ Ω (θ − θ*)².</summary>
/// <remarks>
/// Aljundi, Babiloni, Elhoseiny, Rohrbach &amp; Tuytelaars, "Memory Aware Synapses: Learning what (not) to forget", ECCV 2018.
/// How sensitive the learned function (the output on the task's head) is to each weight, from inputs alone — no labels.
/// As the official code: per batch, the gradient of the batch-mean squared L2 norm of the outputs, its absolute value
/// averaged over batches; importances of successive tasks add up, and θ* is the latest task's final weights.
/// </remarks>
[Method("forgetting", "Aljundi et al. 2018, Memory Aware Synapses: Learning what (not) to forget, ECCV (arXiv 1711.09601)")]
public sealed class Mas(MasOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "mas";

    private List<Parameter> _parameters = [];
    private Dictionary<Parameter, Tensor> _importance = [];
    private Dictionary<Parameter, Tensor> _anchor = [];

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public MasOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _parameters = [.. learner.Network.Parameters()];

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step) =>
        _importance.Count == 0 ? null : Anchors.WeightedHalfSquaredDistance(_parameters, _anchor, _importance) * (2 * Options.Lambda);

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var sums = _parameters.ToDictionary(p => p, p => new double[p.Size]);
        var data = task.Train;
        int n = Math.Min(Options.Samples, data.Count), batches = 0;
        var subset = data.Select(learner.Rng.Split($"{Name}/{task.Id}").Permutation(data.Count).AsSpan(0, n));
        var loader = new DataLoader(subset, Options.BatchSize, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false));
        foreach (var batch in loader.Epoch())
        {
            var outputs = learner.Model.Forward(batch.ToTensor(), Enumerable.Repeat(task.Head ?? 0, batch.Count).ToArray());
            var grads = Autograd.Grad((outputs * outputs).Sum() * (1f / batch.Count), [.. _parameters]);
            for (int k = 0; k < _parameters.Count; k++)
            {
                var g = grads[k].Span;
                var sum = sums[_parameters[k]];
                for (int i = 0; i < sum.Length; i++) sum[i] += Math.Abs(g[i]);
            }
            batches++;
        }
        foreach (var p in _parameters)
        {
            var fresh = Tensor.FromArray([.. sums[p].Select(v => (float)(v / batches))], p.Shape.ToArray());
            _importance[p] = _importance.TryGetValue(p, out var old) ? old + fresh : fresh;
        }
        _anchor = _parameters.ToDictionary(p => p, p => p.Clone());
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("importance", _importance, learner.Network);
        state.SetParameterTensors("anchor", _anchor, learner.Network);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        _importance = state.GetParameterTensors("importance", learner.Network);
        _anchor = state.GetParameterTensors("anchor", learner.Network);
    }
}
