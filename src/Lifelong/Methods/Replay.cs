using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Experience replay: each step trains on the incoming batch plus a batch drawn from a fixed-size memory of past rows; one mean cross-entropy over both.</summary>
/// <remarks>
/// The memory is filled by reservoir sampling over every row the stream has shown, so it is a uniform sample of everything
/// seen (Chaudhry et al. 2019, "On Tiny Episodic Memories in Continual Learning"; mammoth's <c>er.py</c>): draw a
/// minibatch from the memory, concatenate it with the incoming one, take one step, then offer the incoming rows to the
/// memory. <see cref="BufferPolicy.ClassBalanced"/> keeps memory balanced over classes instead, which Chaudhry et al. find
/// better when the memory is extremely small. Rows are stored as the model sees them (after any augmentation the loader
/// applied; mammoth stores the non-augmented inputs).
/// </remarks>
[Method("forgetting", "Chaudhry et al. 2019, On Tiny Episodic Memories in Continual Learning, arXiv 1902.10486")]
public sealed class Replay(ReplayOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "replay";

    private ReplayBuffer? _buffer;

    /// <summary>Replay with the default options.</summary>
    public Replay() : this(new ReplayOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The memory (null before the run starts).</summary>
    public ReplayBuffer? Buffer => _buffer;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _buffer = new ReplayBuffer(options.Size, options.Buffer, learner.Rng.Split(Name));

    /// <inheritdoc/>
    public override TrainingBatch? ExtraSamples(Learner learner, TrainingBatch incoming) =>
        _buffer is { Count: > 0 } buffer ? buffer.Sample(options.BatchSize > 0 ? options.BatchSize : incoming.Count).Batch : null;

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step) => _buffer?.Add(step.Batch.Slice(0, step.IncomingCount));

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => _buffer?.Save(state, "buffer");

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _buffer = new ReplayBuffer(options.Size, options.Buffer, learner.Rng.Split(Name));
        _buffer.Load(state, "buffer");
    }
}

/// <summary>Options of <see cref="Replay"/>.</summary>
/// <param name="Size">Memory size |M| in rows (the protocols: 200 and 500).</param>
/// <param name="BatchSize">Replayed rows per step (0: as many as the incoming batch, mammoth's setting).</param>
/// <param name="Buffer">Reservoir (uniform over everything seen) or class-balanced.</param>
public sealed record ReplayOptions([Positive] int Size = 500, [NonNegative(Max = 100_000)] int BatchSize = 0, BufferPolicy Buffer = BufferPolicy.Reservoir);
