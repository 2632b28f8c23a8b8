using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="Agem"/>.</summary>
/// <param name="SamplesPerTask">Samples of each finished task stored in the episodic memory.</param>
/// <param name="BatchSize">Memory samples drawn to compute the reference gradient each step.</param>
public sealed record AgemOptions(int SamplesPerTask = 250, int BatchSize = 256)
{
    /// <summary>SamplesPerTask ≥ 1.</summary>
    public int SamplesPerTask { get; } = SamplesPerTask >= 1 ? SamplesPerTask : throw new ArgumentOutOfRangeException(nameof(SamplesPerTask), SamplesPerTask, "samples-per-task must be ≥ 1.");
}

/// <summary>Averaged GEM: if the step's gradient g would increase the loss on the memory (gᵀg_ref &lt; 0), project it:
/// g ← g − (gᵀg_ref / g_refᵀg_ref)·g_ref.</summary>
/// <remarks>Chaudhry, Ranzato, Rohrbach &amp; Elhoseiny, "Efficient Lifelong Learning with A-GEM", ICLR 2019: GEM's per-task
/// constraints replaced by one on the average memory loss, whose gradient g_ref is taken on a random memory minibatch.
/// The memory holds <c>samples-per-task</c> random training samples of every finished task (each on its own head); the
/// projection is applied to the full gradient vector (all parameters), after backward and before the optimizer step.</remarks>
[Method("forgetting", "Chaudhry et al. 2019, Efficient Lifelong Learning with A-GEM, ICLR (arXiv 1812.00420)")]
public sealed class Agem(AgemOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "agem";

    private readonly List<TrainingBatch> _memory = [];
    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public AgemOptions Options { get; } = options;

    /// <summary>Steps whose gradient was projected.</summary>
    public long Projections { get; private set; }

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _rng = learner.Rng.Split(Name);

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        if (_memory.Count == 0) return;
        var parameters = learner.Network.Parameters().ToList();
        var reference = MemoryBatch();
        var referenceGrads = Autograd.Grad(F.CrossEntropy(learner.Model.Forward(reference.ToTensor(), reference.Heads), reference.Labels), [.. parameters]);
        double dot = 0, norm = 0;
        for (int k = 0; k < parameters.Count; k++)
        {
            var g = parameters[k].Grad is { } grad ? grad.Span : default;
            var r = referenceGrads[k].Span;
            for (int i = 0; i < r.Length; i++)
            {
                if (!g.IsEmpty) dot += (double)g[i] * r[i];
                norm += (double)r[i] * r[i];
            }
        }
        if (dot >= 0 || norm == 0) return;
        Project(parameters, referenceGrads, (float)(dot / norm));
        Projections++;
    }

    /// <summary>g ← g − scale·g_ref for every parameter.</summary>
    public static void Project(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> reference, float scale)
    {
        for (int k = 0; k < parameters.Count; k++)
        {
            if (parameters[k].Grad is not { } grad) continue;
            var g = grad.Span;
            var r = reference[k].Span;
            for (int i = 0; i < g.Length; i++) g[i] -= scale * r[i];
        }
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var data = task.Train;
        int n = Math.Min(Options.SamplesPerTask, data.Count);
        var loader = new DataLoader(data.Select(_rng.Split($"memory/{task.Id}").Permutation(data.Count).AsSpan(0, n)), n, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false));
        _memory.Add(TrainingBatch.From(loader.Next(), task.Head ?? 0));
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetRng("rng", _rng);
        state.Values["tasks"] = _memory.Count;
        state.Values["projections"] = Projections;
        for (int t = 0; t < _memory.Count; t++)
        {
            var m = _memory[t];
            state.Tensors[$"memory{t}.inputs"] = m.ToTensor();
            state.Tensors[$"memory{t}.labels"] = Tensor.FromArray([.. m.Labels.Select(l => (float)l)], m.Count);
            state.Tensors[$"memory{t}.heads"] = Tensor.FromArray([.. m.Heads.Select(h => (float)h)], m.Count);
        }
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", _rng);
        Projections = state.Values["projections"]!.GetValue<long>();
        _memory.Clear();
        for (int t = 0; t < state.Values["tasks"]!.GetValue<int>(); t++)
        {
            var inputs = state.Tensors[$"memory{t}.inputs"];
            _memory.Add(new TrainingBatch(inputs.Span.ToArray(), inputs.Shape.ToArray(),
                [.. state.Tensors[$"memory{t}.labels"].Span.ToArray().Select(v => (int)v)], [.. state.Tensors[$"memory{t}.heads"].Span.ToArray().Select(v => (int)v)]));
        }
    }

    private TrainingBatch MemoryBatch()
    {
        int total = _memory.Sum(m => m.Count), n = Math.Min(total, Options.BatchSize);
        int[] chosen = total <= Options.BatchSize ? [.. Enumerable.Range(0, total)] : _rng.Permutation(total).AsSpan(0, n).ToArray();
        int size = _memory[0].SampleSize;
        var inputs = new float[n * size];
        var labels = new int[n];
        var heads = new int[n];
        for (int k = 0; k < n; k++)
        {
            int index = chosen[k], t = 0;
            while (index >= _memory[t].Count) index -= _memory[t++].Count;
            var source = _memory[t];
            source.Inputs.AsSpan(index * size, size).CopyTo(inputs.AsSpan(k * size));
            (labels[k], heads[k]) = (source.Labels[index], source.Heads[index]);
        }
        return new TrainingBatch(inputs, [n, .. _memory[0].Shape[1..]], labels, heads);
    }
}
