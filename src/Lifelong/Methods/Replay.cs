using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="Replay"/>.</summary>
/// <param name="Size">Samples the memory holds (Mammoth's ER benchmarks use 200, 500, 5120).</param>
/// <param name="BatchSize">Replayed samples per step; null replays as many as the incoming batch has (Mammoth's minibatch).</param>
/// <param name="ClassBalanced">Keep the memory class-balanced instead of uniform over the stream (better for tiny memories).</param>
public sealed record ReplayOptions(int Size = 500, int? BatchSize = null, bool ClassBalanced = false)
{
    /// <summary>Size ≥ 1.</summary>
    public int Size { get; } = Size >= 1 ? Size : throw new ArgumentOutOfRangeException(nameof(Size), Size, "size must be ≥ 1.");
}

/// <summary>Experience replay: every step also trains on a minibatch drawn from a reservoir memory of everything seen so far.</summary>
/// <remarks>
/// Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning" (arXiv 1902.10486), in Mammoth's <c>er.py</c> form: draw
/// a memory minibatch, append it to the incoming batch, take one cross-entropy step on both, then offer the incoming
/// samples to the reservoir (<see cref="ReservoirBuffer"/>). Each replayed sample is scored on its own head.
/// </remarks>
[Method("forgetting", "Chaudhry et al. 2019, On Tiny Episodic Memories in Continual Learning, arXiv 1902.10486")]
public sealed class Replay(ReplayOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "replay";

    private ReservoirBuffer? _buffer;
    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public ReplayOptions Options { get; } = options;

    /// <summary>The memory (null before the first step).</summary>
    public ReservoirBuffer? Buffer => _buffer;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _rng = learner.Rng.Split(Name);

    /// <inheritdoc/>
    public override TrainingBatch? ExtraSamples(Learner learner, TrainingBatch incoming)
    {
        if (_buffer is not { Count: > 0 }) return null;
        return _buffer.Sample(Options.BatchSize ?? incoming.Count, incoming.Shape[1..], _rng).Batch;
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        _buffer ??= new ReservoirBuffer(Options.Size, step.Batch.SampleSize, Options.ClassBalanced);
        _buffer.Add(step.Batch, step.IncomingCount, _rng);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetRng("rng", _rng);
        state.Values["sample_size"] = _buffer?.SampleSize ?? 0;
        _buffer?.Save(state, "buffer");
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", _rng);
        int sampleSize = state.Values["sample_size"]!.GetValue<int>();
        if (sampleSize == 0) return;
        _buffer = new ReservoirBuffer(Options.Size, sampleSize, Options.ClassBalanced);
        _buffer.Load(state, "buffer");
    }
}
