using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>DEN, dynamically expandable networks (Yoon, Yang, Lee &amp; Hwang, ICLR 2018): selective retraining, dynamic
/// expansion, split and duplication, with time stamps so that each task is served by the units that existed when it was learned.</summary>
/// <remarks>
/// <para>Task 1 trains the whole network (an MLP with ReLU) with ℓ₁ sparsity. Each later task t, with S its step budget:</para>
/// <list type="number">
/// <item>Selection: a new head V_t is trained alone, with ℓ₁, for <see cref="DenOptions.HeadSteps"/>·S steps; the units
/// with a non-zero weight into it are selected, then, layer by layer downward, every unit with a non-zero weight into a
/// selected unit (breadth-first from the output; all inputs are kept).</item>
/// <item>Selective retraining (S steps): only the weights among selected units move, with ℓ₁, ℓ₂ and the tie
/// ½·<see cref="DenOptions.Tie"/>·‖θ − θ^{t−1}‖².</item>
/// <item>Dynamic expansion (S steps), when the loss of stage 2 stays above τ: k units join every hidden layer; only they and
/// the head train, with ℓ₁ and a group-lasso proximal step on each new unit's incoming and outgoing weights; new units
/// whose incoming weights all reach zero are removed.</item>
/// <item>Split and duplication (S steps of retraining with the tie, when any unit split): units whose incoming weights
/// drifted more than σ are split (<see cref="DenSurgery.Split"/>).</item>
/// </list>
/// <para>The task's stamp (the layer widths) is then recorded; the network serves task t with the units below its stamp.
/// Every stage reports its steps to the learner, so online accuracy covers them all: a task takes up to 3.1·S steps.</para>
/// <para>Differences from the official code, on purpose: the loss is softmax cross-entropy (the runtime's) instead of
/// per-class sigmoid cross-entropy, so τ is on another scale; the selection reads every class of the new head, not only
/// column 0; split takes the units above σ with the largest drifts, at most ex_k per layer, instead of the ex_k smallest
/// drifts above σ (which looks like a bug: the units that drifted most are the ones the paper splits); split runs
/// after every task as in the paper's Algorithm 1, not only after an expansion; ℓ₁ and ℓ₂ act on weights, not biases;
/// stages run for a fixed number of steps, without the early stop on validation loss. DEN needs the task id at test (a
/// head per task) and runs with its own Adam: it does not compose with other methods.</para>
/// </remarks>
[Method("forgetting", "Yoon, Yang, Lee & Hwang 2018, Lifelong Learning with Dynamically Expandable Networks, ICLR")]
public sealed class Den : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "den";

    private readonly DenOptions _options;
    private DenNetwork? _network;
    private readonly List<DenTaskRecord> _history = [];

    /// <summary>DEN with the default options.</summary>
    public Den() : this(new DenOptions()) { }

    /// <summary>DEN with <paramref name="options"/>.</summary>
    public Den(DenOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.LearningRate, "den: lr");
        if (options.L1 < 0 || options.L2 < 0 || options.GroupLasso < 0 || options.Tie < 0 || options.LossThreshold < 0 || options.SplitThreshold < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options, "den: l1, l2, group-lasso, tie, loss-threshold and split-threshold must be ≥ 0.");
        if (options.Expand < 0 || options.MaxSplit < 0) throw new ArgumentOutOfRangeException(nameof(options), options, "den: expand and max-split must be ≥ 0.");
        if (options.HeadSteps is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), options.HeadSteps, "den: head-steps is a fraction of the task's steps in (0, 1].");
        _options = options;
    }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override bool OwnsLoop => true;

    /// <inheritdoc/>
    public override bool SupportsMidTaskCheckpoint => false;

    /// <summary>The network as it stands (null before the run starts).</summary>
    public DenNetwork? Network => _network;

    /// <summary>What happened in each finished task.</summary>
    public IReadOnlyList<DenTaskRecord> History => _history;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        Validate(learner);
        var mlp = (Mlp)learner.Network;
        var layers = mlp.HiddenLayers.Select(l => ((Tensor)l.Weight.Clone(), (Tensor)l.Bias!.Clone())).ToList();
        Install(learner, new DenNetwork(learner.Model.Classes, learner.Model.Heads, layers, new Dictionary<int, (Tensor, Tensor)>(), new Dictionary<int, int[]>()));
    }

    /// <inheritdoc/>
    public override void TrainTask(Learner learner, ContinualTask task)
    {
        var network = _network ?? throw new InvalidOperationException("den: OnRunStart was not called.");
        int head = task.Head ?? throw new InvalidOperationException($"den: task {task.Id} has no head; DEN needs a head per task.");
        var rng = learner.Rng.Split($"{Name}/{task.Id}");
        var previous = network.Copy();
        bool first = network.Stamps.Count == 0;
        network = Install(learner, DenSurgery.AddHead(network, head, rng.Split("head")));
        var record = new DenTaskRecord(task.Id);

        if (first)
        {
            TrainStage(learner, task.Steps, Trainable.All(network, head), tie: null, groups: null);
        }
        else
        {
            var (headWeight, headBias) = network.Head(head);
            int headSteps = Math.Max(1, (int)Math.Round(_options.HeadSteps * task.Steps));
            TrainStage(learner, headSteps, new Trainable { [headWeight] = null, [headBias] = null }, null, null);

            var selected = DenSelection.Select(network, head);
            record.Selected = [.. selected.Select(s => s.Count)];
            record.SelectiveLoss = TrainStage(learner, task.Steps, Trainable.Selected(network, head, selected), Tie.Toward(previous, network), null);

            if (record.SelectiveLoss > _options.LossThreshold && _options.Expand > 0)
            {
                int[] before = network.Widths;
                network = Install(learner, DenSurgery.Expand(network, _options.Expand, head, rng.Split("expand")));
                TrainStage(learner, task.Steps, Trainable.NewUnits(network, head, before), null, Groups.OfNewUnits(network, head, before));
                for (int l = network.Depth - 1; l >= 0; l--)
                {
                    var weight = network.Weight(l);
                    int columns = weight.Shape[1];
                    var unused = Enumerable.Range(before[l], network.Widths[l] - before[l]).Where(u => !weight.Span.Slice(u * columns, columns).ContainsAnyExcept(0f)).ToList();
                    network = Install(learner, DenSurgery.RemoveUnits(network, l, unused, head));
                }
                record.Added = [.. network.Widths.Select((w, l) => w - before[l])];
            }

            if (_options.Split)
            {
                var (split, counts) = DenSurgery.Split(network, previous, head, _options.SplitThreshold, _options.MaxSplit);
                record.Split = counts;
                if (counts.Any(c => c > 0))
                {
                    network = Install(learner, split);
                    TrainStage(learner, task.Steps, Trainable.All(network, head), Tie.Toward(previous, network), null);
                }
            }
        }
        Install(learner, network.Stamped(head));
        record.Widths = _network!.Widths;
        _history.Add(record);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, double>? Diagnostics(Learner learner)
    {
        if (_network is null || _history.Count == 0) return null;
        var last = _history[^1];
        var result = new Dictionary<string, double> { ["parameters"] = _network.ParameterCount, ["expanded"] = last.Added.Any(a => a != 0) ? 1 : 0 };
        for (int l = 0; l < _network.Depth; l++)
        {
            string layer = _network.HiddenLayerNames[l];
            result[$"units.{layer}"] = last.Widths[l];
            result[$"added.{layer}"] = last.Added.ElementAtOrDefault(l);
            result[$"split.{layer}"] = last.Split.ElementAtOrDefault(l);
            if (last.Selected.Length > l) result[$"selected.{layer}"] = last.Selected[l];
        }
        return result;
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_network is null) return;
        state.Values["widths"] = new System.Text.Json.Nodes.JsonArray([.. _network.Widths.Select(w => (System.Text.Json.Nodes.JsonNode)w)]);
        var stamps = new System.Text.Json.Nodes.JsonObject();
        foreach (var (head, stamp) in _network.Stamps) stamps[head.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new System.Text.Json.Nodes.JsonArray([.. stamp.Select(s => (System.Text.Json.Nodes.JsonNode)s)]);
        state.Values["stamps"] = stamps;
        state.Values["history"] = System.Text.Json.JsonSerializer.SerializeToNode(_history, Results.RunResult.JsonOptions);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        Validate(learner);
        if (state.Values["widths"] is not System.Text.Json.Nodes.JsonArray widthsJson) { OnRunStart(learner); return; }
        int[] widths = [.. widthsJson.Select(w => w!.GetValue<int>())];
        var stamps = state.Values["stamps"]!.AsObject().ToDictionary(s => int.Parse(s.Key, System.Globalization.CultureInfo.InvariantCulture), s => s.Value!.AsArray().Select(v => v!.GetValue<int>()).ToArray());
        // Zeros of the checkpoint's shapes; the trainer loads the values into them next.
        int inputs = ((Mlp)learner.Network).HiddenLayers[0].InFeatures;
        var layers = widths.Select((w, l) => (Tensor.Zeros(w, l == 0 ? inputs : widths[l - 1]), Tensor.Zeros(w))).ToList();
        var heads = stamps.ToDictionary(s => s.Key, s => (Tensor.Zeros(learner.Model.Classes, s.Value[^1]), Tensor.Zeros(learner.Model.Classes)));
        Install(learner, new DenNetwork(learner.Model.Classes, learner.Model.Heads, layers, heads, stamps));
        _history.Clear();
        _history.AddRange(System.Text.Json.JsonSerializer.Deserialize<List<DenTaskRecord>>(state.Values["history"]!, Results.RunResult.JsonOptions) ?? []);
    }

    /// <inheritdoc/>
    public override void Validate(Learner learner)
    {
        if (learner.Methods.Count > 1)
            throw new ArgumentException($"den trains with its own update rule and cannot be combined with [{string.Join(", ", learner.Methods.Where(m => m != this).Select(m => m.Name))}]; run it alone.");
        if (!learner.Scenario.TaskIdAtTest)
            throw new ArgumentException($"den needs a head per task (the task id at test); {learner.Scenario.Name} has one shared head. Use a task-incremental scenario, e.g. permuted-mnist:head-per-task=true or split-mnist:flavour=task.");
        if (learner.Network is not Mlp { Options: { Activation: Activation.Relu, LayerNorm: false } } mlp || mlp.HiddenLayers.Count == 0 || mlp.HiddenLayers.Any(l => l.Bias is null))
            throw new ArgumentException("den grows a fully connected ReLU network: use model mlp:<widths> with at least one hidden layer, ReLU and no LayerNorm (the official setting is mlp:312,128).");
    }

    private DenNetwork Install(Learner learner, DenNetwork network)
    {
        _network = network;
        learner.Model.ReplaceNetwork(network);
        return network;
    }

    /// <summary>Trains the parameters of <paramref name="trainable"/> (only their masked elements) for <paramref name="steps"/>
    /// steps with Adam, ℓ₂ and the tie in the gradient, then ℓ₁ and group-lasso proximal steps; returns the mean
    /// cross-entropy over the last quarter of the steps.</summary>
    private double TrainStage(Learner learner, int steps, Trainable trainable, Tie? tie, Groups? groups)
    {
        var network = _network!;
        network.Train();
        var adam = new Adam(trainable.Keys, lr: _options.LearningRate);
        int tailFrom = steps - Math.Max(1, steps / 4);
        double tail = 0;
        for (int s = 0; s < steps; s++)
        {
            var batch = learner.NextBatch();
            var inputs = batch.ToTensor();
            var logits = learner.Model.Forward(inputs, batch.Heads);
            var loss = F.CrossEntropy(logits, batch.Labels);
            adam.ZeroGrad();
            loss.Backward();
            double penalty = trainable.AddPenaltyGradients(_options.L2, tie, _options.Tie);
            adam.Step();
            using (Autograd.NoGrad())
            {
                trainable.SoftThreshold((float)_options.L1);
                groups?.Shrink((float)_options.GroupLasso);
            }
            double value = loss.Item();
            if (s >= tailFrom) tail += value;
            learner.RecordStep(batch, inputs, logits, Tensor.Scalar((float)(value + penalty)));
        }
        return tail / (steps - tailFrom);
    }
}

/// <summary>What DEN did in one task.</summary>
public sealed class DenTaskRecord(int task)
{
    /// <summary>The task.</summary>
    public int Task { get; set; } = task;

    /// <summary>Units selected for retraining per hidden layer (empty for the first task).</summary>
    public int[] Selected { get; set; } = [];

    /// <summary>Mean cross-entropy of the last quarter of selective retraining (NaN for the first task).</summary>
    public double SelectiveLoss { get; set; } = double.NaN;

    /// <summary>Units added per hidden layer by expansion and kept after group-lasso pruning (empty: no expansion).</summary>
    public int[] Added { get; set; } = [];

    /// <summary>Units split per hidden layer (empty: none considered).</summary>
    public int[] Split { get; set; } = [];

    /// <summary>Hidden widths at the end of the task (its stamp).</summary>
    public int[] Widths { get; set; } = [];
}
