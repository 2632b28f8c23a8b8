using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="SoTu"/>.</summary>
/// <param name="Keep">q, the keep probability of each task's delta mask (the paper's mask rate is p = 1 − q); absent: 1/T for a
/// stream of T tasks, the paper's rule of thumb (delta sparsity ≈ 1/T).</param>
/// <param name="KeepGrowth">g: task t keeps qₜ = min(1, q·gᵗ), a mask rate that changes along the stream; 1 keeps q fixed.</param>
/// <param name="Rescale">Multiply kept deltas by 1/qₜ as DARE does (Yu et al. 2024). Unknown for SoTU. Off by default: on our
/// MNIST-scale check (docs/methods/sotu.md) the rescaled merge moved the features further from those the earlier classes'
/// statistics were computed with, and lost more of the earlier tasks.</param>
/// <param name="Selection">random (Bernoulli, the paper's), magnitude (largest |δ| per tensor) or fisher (largest F·δ² per tensor).</param>
/// <param name="Groups">coordinates (the paper's), units (a weight row with its bias) or heads (whole attention heads of a ViT).</param>
/// <param name="Scope">all backbone weights (the default; unknown for the paper), attention or mlp (ViT only).</param>
/// <param name="Coefficient">c, the weight of every task's masked delta in θ = θ₀ + Σₜ c·mₜ⊙δₜ (a different cₜ per task is available
/// through <see cref="DeltaMerge"/>); unknown for the paper, 1 by default.</param>
/// <param name="Head">prototype (nearest class mean, cosine) or ran-pac (random ReLU projection + ridge, as the paper's comparison
/// with RanPAC suggests).</param>
/// <param name="Projection">M for the ran-pac head (0: no projection).</param>
/// <param name="FisherSamples">Samples of the task for the Fisher of fisher selection.</param>
/// <param name="Oracle">Analysis, not part of the method: after every task (every) or after the last (last), also score two other
/// heads of the same kind on every seen task (<see cref="IAnalysisHeads"/>). <c>oracle</c>: refitted on every seen task's training data with the current merged
/// features (it uses old data, which a continual method may not); <c>frozen</c>: fitted task by task on θ₀'s features
/// (SimpleCIL or RanPAC within the same run). Recorded as <c>oracle_acc</c>, <c>frozen_acc</c> and per task
/// <c>oracle_acc.j</c>, <c>frozen_acc.j</c> in <c>probes[t].method</c>. Each scoring refits the oracle over all seen tasks: with
/// the ran-pac head (18 Cholesky solves of M × M per task fit), every costs 25 task fits for T = 5 where the run makes 5.</param>
public sealed record SoTuOptions([Between(0, 1, MinExclusive = true)] double? Keep = null, [Positive] double KeepGrowth = 1, bool Rescale = false, MaskSelection Selection = MaskSelection.Random,
    MaskGroups Groups = MaskGroups.Coordinates, TuneScope Scope = TuneScope.All, [NonNegative] float Coefficient = 1f, HeadKind Head = HeadKind.Prototype,
    [NonNegative] int Projection = 1000, [Positive] int FisherSamples = 200, OracleSchedule Oracle = OracleSchedule.None)
{
    /// <summary>q in (0, 1].</summary>
    public double? Keep { get; } = Keep is null or (> 0 and <= 1) ? Keep : throw new ArgumentOutOfRangeException(nameof(Keep), Keep, "keep must be in (0, 1].");

    /// <summary>g &gt; 0.</summary>
    public double KeepGrowth { get; } = KeepGrowth > 0 ? KeepGrowth : throw new ArgumentOutOfRangeException(nameof(KeepGrowth), KeepGrowth, "keep-growth must be > 0.");

    /// <summary>M ≥ 0.</summary>
    public int Projection { get; } = Projection >= 0 ? Projection : throw new ArgumentOutOfRangeException(nameof(Projection), Projection, "projection must be ≥ 0.");

    /// <summary>qₜ for task <paramref name="task"/> of a stream of <paramref name="tasks"/>.</summary>
    public double KeepAt(int task, int tasks) => Math.Min(1, (Keep ?? DeltaMasks.DefaultKeep(tasks)) * Math.Pow(KeepGrowth, task));
}

/// <summary>SoTU, sparse orthogonal parameters tuning: fine-tune the pretrained model on each task alone, keep a sparse random
/// part of each task's delta, merge the sparse deltas, classify merged features with a training-free head.</summary>
/// <remarks>
/// <para>Ning, Ke, Liu, Yao, Tian &amp; Yuan 2024 (arXiv 2411.02813). Only the abstract and a digest of the paper could be read
/// (docs/methods/sotu.md lists what is known); where the paper is silent the choice is an option. For task t:</para>
/// <list type="number">
/// <item>reset the network to θ₀ (the weights at the start of the run: the pretrained backbone and the initial head) and
/// the optimizer's state, and fine-tune on task t alone for its step budget; parameters outside <see cref="SoTuOptions.Scope"/>
/// are held at θ₀;</item>
/// <item>δₜ = θₜ − θ₀ over the backbone parameters in scope (the head is the fine-tuning classifier and is discarded);</item>
/// <item>mₜ ~ Bernoulli(qₜ) (or an importance / group mask), sₜ = mₜ ⊙ δₜ, times 1/qₜ with <see cref="SoTuOptions.Rescale"/>;</item>
/// <item>θ = θ₀ + Σ_{τ≤t} c·s_τ: the network holds the merge from now on (no old data or model is kept, only the running sum);</item>
/// <item>the head learns task t's classes from the merged model's features of task t's training set. Earlier classes keep the
/// statistics computed with the merge of their time: without old data they cannot be recomputed, and the drift this causes is
/// what the orthogonality of sparse deltas is meant to keep small.</item>
/// </list>
/// <para>Diagnostics after each task: the measured collision rate of the masks so far and its closed form for independent
/// masks (see <see cref="DeltaDiagnostics"/>), the mean pairwise cosine of the masked deltas, qₜ and the kept fraction; with
/// <see cref="SoTuOptions.Oracle"/>, the accuracies of the oracle and frozen-θ₀ heads. The three heads share the random
/// projection of the ran-pac head and draw the same samples of each task, so they differ only in the features their
/// statistics were computed with: the oracle against the method's head measures the staleness of the statistics, the oracle
/// against the frozen head the quality of the merged features.</para>
/// </remarks>
[Method("pretrained", "Ning, Ke, Liu, Yao, Tian & Yuan 2024, Sparse Orthogonal Parameters Tuning for Continual Learning, arXiv 2411.02813")]
public sealed class SoTu(SoTuOptions options) : ContinualMethod, IAnalysisHeads
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "sotu";

    private List<(string Name, Parameter Parameter)> _tuned = [];
    private List<Parameter> _held = [];
    private Dictionary<Parameter, Tensor> _initial = [];
    private DeltaMerge? _merge;
    private OrderedDictionary<string, Tensor> _counts = new(StringComparer.Ordinal);
    private readonly List<OrderedDictionary<string, Tensor>> _masked = [];
    private readonly List<double> _keeps = [];
    private double _keptFraction = double.NaN;
    private ClassHead? _head;
    private ClassHead? _frozenHead;   // fitted on θ₀'s features, only with the oracle analysis
    private ClassHead? _headInUse;    // an analysis head answering Predict for a while
    private int _tasks;               // in the stream

    /// <summary>SoTU with the default options.</summary>
    public SoTu() : this(new SoTuOptions()) { }

    /// <summary>The options in force.</summary>
    public SoTuOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override bool OwnsLoop => true;

    /// <summary>The merge so far (null before the run starts).</summary>
    public DeltaMerge? Merge => _merge;

    /// <summary>The masked deltas sₜ of the tasks so far.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, Tensor>> MaskedDeltas => _masked;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        Bind(learner);
        _initial = learner.Network.Snapshot();
        _merge = new DeltaMerge(Named(_tuned));
        _head = CreateHead(learner);
        _frozenHead = Options.Oracle != OracleSchedule.None ? CreateHead(learner) : null;
    }

    /// <inheritdoc/>
    public override void TrainTask(Learner learner, ContinualTask task)
    {
        if (learner.TaskStep == 0) Reset(learner, learner.Network.Parameters(), clearOptimizer: true);
        while (learner.TaskStep < task.Steps) learner.Step(learner.NextBatch());
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step) => Reset(learner, _held, clearOptimizer: false);

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var merge = _merge ?? throw new InvalidOperationException("SoTU: OnRunStart was not called.");
        var delta = merge.Delta(Named(_tuned));
        double keep = Options.KeepAt(task.Id, learner.Scenario.TaskCount);
        var fisher = Options.Selection == MaskSelection.Fisher ? Fisher(learner, task) : null;
        int heads = learner.Network is Vit vit ? vit.Options.Heads : 0;
        var mask = DeltaMasks.Build(delta, keep, Options.Selection, Options.Groups, learner.Rng.Split($"{Name}/mask/{task.Id}"), fisher, heads);
        var masked = DeltaMasks.Apply(mask, delta, Options.Rescale && keep > 0 ? (float)(1 / keep) : 1f);
        merge.Add(masked, Options.Coefficient);
        DeltaDiagnostics.Count(_counts, mask);
        _masked.Add(masked);
        _keeps.Add(keep);
        _keptFraction = DeltaMasks.KeptFraction(mask);

        Reset(learner, learner.Network.Parameters(), clearOptimizer: false);
        if (_frozenHead is not null) FitHead(learner, _frozenHead, task);   // the network holds θ₀ now
        LoadMerged(learner);
        FitHead(learner, _head!, task);
    }

    /// <inheritdoc/>
    public override Tensor? Predict(Learner learner, TrainingBatch batch) =>
        (_headInUse ?? _head) is not { } head || _merge is not { Tasks: > 0 } ? null : Backbone.Logits(learner.Model, head, Backbone.Features(learner.Network, batch), batch);

    /// <inheritdoc/>
    public IReadOnlyList<string> AnalysisHeads => Options.Oracle switch
    {
        OracleSchedule.Every => ["oracle", "frozen"],
        OracleSchedule.Last when _merge is { } merge && merge.Tasks == _tasks => ["oracle", "frozen"],
        _ => [],
    };

    /// <inheritdoc/>
    public IDisposable UseHead(Learner learner, string name)
    {
        if (_frozenHead is null) throw new InvalidOperationException("SoTU: the analysis heads need oracle=last or oracle=every.");
        switch (name)
        {
            case "oracle":
                _headInUse = OracleHead(learner);
                return new HeadInUse(() => _headInUse = null);
            case "frozen":
                _headInUse = _frozenHead;
                Reset(learner, _tuned.Select(p => p.Parameter), clearOptimizer: false);
                return new HeadInUse(() =>
                {
                    _headInUse = null;
                    LoadMerged(learner);
                });
            default:
                throw new ArgumentException($"SoTU has no analysis head '{name}' (oracle, frozen).", nameof(name));
        }
    }

    /// <summary>The oracle head: a new head of the method's kind fitted, task by task as the run did, on every merged task's
    /// training data with the network's current features. With one task it is the method's own head.</summary>
    public ClassHead OracleHead(Learner learner)
    {
        var head = CreateHead(learner);
        for (int t = 0; t < (_merge?.Tasks ?? 0); t++) FitHead(learner, head, learner.Scenario.GetTask(t));
        return head;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double>? Diagnostics(Learner learner)
    {
        if (_keeps.Count == 0) return null;
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["keep"] = _keeps[^1],
            ["kept_fraction"] = _keptFraction,
            ["collision_rate"] = DeltaDiagnostics.CollisionRate(_counts),
            ["collision_rate_random"] = DeltaDiagnostics.ExpectedCollisionRate(_keeps),
        };
        if (_masked.Count >= 2) values["mean_pairwise_cosine"] = DeltaDiagnostics.MeanPairwiseCosine(_masked);
        return values;
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_merge is null || _head is null) return;
        state.SetParameterTensors("initial", _initial, learner.Network);
        foreach (var (name, sum) in _merge.Sum) state.Tensors[$"sum.{name}"] = sum;
        foreach (var (name, count) in _counts) state.Tensors[$"counts.{name}"] = count;
        for (int t = 0; t < _masked.Count; t++)
            foreach (var (name, s) in _masked[t]) state.Tensors[$"masked.{t}.{name}"] = s;
        state.Values["keeps"] = new JsonArray([.. _keeps.Select(q => JsonValue.Create(q))]);
        state.Values["kept_fraction"] = double.IsNaN(_keptFraction) ? null : _keptFraction;
        _head.Save(state, "head");
        _frozenHead?.Save(state, "frozen_head");
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        Bind(learner);
        _initial = state.GetParameterTensors("initial", learner.Network);
        _merge = new DeltaMerge(Named(_tuned, _initial));
        _keeps.Clear();
        _keeps.AddRange(state.Values["keeps"]!.AsArray().Select(v => v!.GetValue<double>()));
        _merge.Restore(Saved(state, "sum."), _keeps.Count);
        _counts = Saved(state, "counts.");
        _masked.Clear();
        for (int t = 0; t < _keeps.Count; t++) _masked.Add(Saved(state, $"masked.{t}."));
        _keptFraction = state.Values["kept_fraction"]?.GetValue<double>() ?? double.NaN;
        _head = CreateHead(learner);
        _head.Load(state, "head");
        _frozenHead = Options.Oracle != OracleSchedule.None ? CreateHead(learner) : null;
        _frozenHead?.Load(state, "frozen_head");
    }

    private void Bind(Learner learner)
    {
        _tasks = learner.Scenario.TaskCount;
        _tuned = Backbone.Parameters(learner.Network, Options.Scope);
        var tuned = _tuned.Select(p => p.Parameter).ToHashSet();
        _held = [.. learner.Network.NamedParameters().Where(p => !Backbone.IsHead(p.Name) && !tuned.Contains(p.Parameter)).Select(p => p.Parameter)];
    }

    private ClassHead CreateHead(Learner learner)
    {
        int slots = learner.Model.Heads * learner.Model.Classes;
        return Options.Head == HeadKind.RanPac ? new RanPacHead(slots, Options.Projection, learner.Rng.Split($"{Name}/projection")) : new PrototypeHead(slots);
    }

    /// <summary>Copies θ₀ into <paramref name="parameters"/> (and forgets their optimizer state when asked).</summary>
    private void Reset(Learner learner, IEnumerable<Parameter> parameters, bool clearOptimizer)
    {
        using var noGrad = Autograd.NoGrad();
        foreach (var p in parameters)
        {
            _initial[p].Span.CopyTo(p.Span);
            if (clearOptimizer) learner.Optimizer.ClearState(p);
        }
    }

    /// <summary>Copies the merge θ₀ + Σ c·s into the tuned parameters.</summary>
    private void LoadMerged(Learner learner)
    {
        var merged = (_merge ?? throw new InvalidOperationException("SoTU: OnRunStart was not called.")).Merged();
        using (Autograd.NoGrad())
            foreach (var (name, parameter) in _tuned) merged[name].Span.CopyTo(parameter.Span);
    }

    /// <summary>Task <paramref name="task"/>'s classes into <paramref name="head"/>, from the network's features of the whole
    /// training set; the samples' order depends only on the task, so every head sees the same batches.</summary>
    private void FitHead(Learner learner, ClassHead head, ContinualTask task)
    {
        head.BeginTask(task.Train.Count);
        foreach (var batch in TaskSamples.Draw(learner, task, 0, learner.Rng.Split($"{Name}/head/{task.Id}"), batchSize: 256))
            head.Observe(Backbone.Features(learner.Network, batch), Backbone.Slots(learner.Model, batch));
        head.EndTask();
    }

    private OrderedDictionary<string, Tensor> Fisher(Learner learner, ContinualTask task)
    {
        var samples = TaskSamples.Draw(learner, task, Options.FisherSamples, learner.Rng.Split($"{Name}/fisher/{task.Id}"));
        var diagonal = FisherInformation.Diagonal(learner.Model, samples, FisherLabels.Exact, learner.Rng.Split($"{Name}/fisher-labels/{task.Id}"));
        return Named(_tuned, diagonal);
    }

    private static OrderedDictionary<string, Tensor> Named(IEnumerable<(string Name, Parameter Parameter)> parameters, IReadOnlyDictionary<Parameter, Tensor>? values = null)
    {
        var named = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p) in parameters) named[name] = values is null ? p : values[p];
        return named;
    }

    private sealed class HeadInUse(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private OrderedDictionary<string, Tensor> Saved(MethodState state, string prefix)
    {
        var named = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, _) in _tuned)
            if (state.Tensors.TryGetValue(prefix + name, out var value)) named[name] = value;
        return named;
    }
}
