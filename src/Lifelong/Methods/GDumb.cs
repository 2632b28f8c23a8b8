using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>GDumb: greedily keep a class-balanced memory of the stream and, whenever the model is needed, train it from scratch on the memory alone (Prabhu, Torr &amp; Dokania 2020).</summary>
/// <remarks>
/// <para>For each task the method owns the loop: it offers every training row of the task to a <see cref="BufferPolicy.Greedy"/>
/// memory (a row is kept unless its class is already among the largest in a full memory; room is made by dropping a random
/// row of a largest class), resets the network to its initial parameters θ₀ and the optimizer's state, and trains on
/// batches drawn uniformly from the memory — the task's step budget by default. The task's own data is never trained on
/// directly, so everything it knows after task t comes from the memory.</para>
/// <para>The paper's SGDR schedule, CutMix and inference-time masking to the classes in memory are not reproduced.</para>
/// </remarks>
[Method("forgetting", "Prabhu, Torr & Dokania 2020, GDumb: A Simple Approach that Questions Our Progress in Continual Learning, ECCV")]
public sealed class GDumb(GDumbOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "gdumb";

    private ReplayBuffer? _memory;
    private Dictionary<Parameter, Tensor> _initial = [];
    private Module? _network;
    private int _filledThrough = -1;

    /// <summary>GDumb with the default options.</summary>
    public GDumb() : this(new GDumbOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override bool OwnsLoop => true;

    /// <summary>The memory (null before the run starts).</summary>
    public ReplayBuffer? Memory => _memory;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _network = learner.Network;
        _initial = learner.Network.Snapshot();
        _memory = new ReplayBuffer(options.Size, BufferPolicy.Greedy, learner.Rng.Split(Name));
    }

    /// <inheritdoc/>
    public override void TrainTask(Learner learner, ContinualTask task)
    {
        var memory = _memory ?? throw new InvalidOperationException("GDumb: OnRunStart was not called.");
        if (_filledThrough < task.Id)
        {
            foreach (var batch in TaskSamples.Draw(learner, task, 0, learner.Rng.Split($"{Name}/stream/{task.Id}"))) memory.Add(batch);
            using (Autograd.NoGrad())
                foreach (var p in learner.Network.Parameters())
                {
                    _initial[p].Span.CopyTo(p.Span);
                    learner.Optimizer.ClearState(p);
                }
            _filledThrough = task.Id;
        }
        int steps = options.Steps > 0 ? options.Steps : task.Steps;
        while (learner.TaskStep < steps) learner.Step(memory.Sample(task.BatchSize).Batch);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_memory is null || _network is null) return;
        _memory.Save(state, "memory");
        state.SetParameterTensors("initial", _initial, _network);
        state.Values["filled_through"] = _filledThrough;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        _memory = new ReplayBuffer(options.Size, BufferPolicy.Greedy, learner.Rng.Split(Name));
        _memory.Load(state, "memory");
        _initial = state.GetParameterTensors("initial", _network);
        _filledThrough = state.Values["filled_through"]!.GetValue<int>();
    }
}

/// <summary>Options of <see cref="GDumb"/>.</summary>
/// <param name="Size">Memory size in rows.</param>
/// <param name="Steps">Training steps on the memory after each task (0: the task's step budget).</param>
public sealed record GDumbOptions([Positive] int Size = 500, [NonNegative] int Steps = 0);
