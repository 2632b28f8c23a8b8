using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Dark experience replay: L = CE(f(x), y) + α · MSE(h_θ(x′), z′), with (x′, z′) from a reservoir memory of past inputs and the logits they had (Buzzega et al. 2020).</summary>
/// <remarks>
/// The memory stores the pre-softmax logits z computed for each incoming row in the same forward pass as the step (before
/// that step's update, as mammoth's <c>der.py</c> stores <c>outputs.data</c>), and replay matches the current logits to
/// them. Defaults from mammoth's best arguments on permuted MNIST: α = 1 with buffers 200 and 500.
/// </remarks>
[Method("forgetting", "Buzzega et al. 2020, Dark Experience for General Continual Learning, NeurIPS")]
public class Der : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "der";

    private readonly DerOptions _options;
    private ReplayBuffer? _buffer;

    /// <summary>DER with <paramref name="options"/>.</summary>
    public Der(DerOptions options) => _options = options;

    /// <summary>DER with the default options.</summary>
    public Der() : this(new DerOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The memory (null before the run starts).</summary>
    public ReplayBuffer? Buffer => _buffer;

    /// <summary>Rows per replay draw: the option, or as many as the step's incoming batch.</summary>
    protected int ReplayCount(StepContext step) => _options.BatchSize > 0 ? _options.BatchSize : step.IncomingCount;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _buffer = new ReplayBuffer(_options.Size, BufferPolicy.Reservoir, learner.Rng.Split(Name));

    /// <inheritdoc/>
    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        if (_buffer is not { Count: > 0 } buffer) return null;
        var (samples, logits) = buffer.Sample(ReplayCount(step));
        return new DistillationTarget(logits!, _options.Alpha, DistillationLoss.LogitMse, Samples: samples);
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step) =>
        _buffer?.Add(step.Batch.Slice(0, step.IncomingCount), step.Logits.Detach().Slice(0, 0, step.IncomingCount));

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => _buffer?.Save(state, "buffer");

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _buffer = new ReplayBuffer(_options.Size, BufferPolicy.Reservoir, learner.Rng.Split(Name));
        _buffer.Load(state, "buffer");
    }
}

/// <summary>Options of <see cref="Der"/>.</summary>
/// <param name="Size">Memory size in rows.</param>
/// <param name="Alpha">Weight α of the logit-matching term (mammoth perm-MNIST: 1.0 for buffers 200 and 500).</param>
/// <param name="BatchSize">Replayed rows per step (0: as many as the incoming batch).</param>
public sealed record DerOptions([Positive] int Size = 500, [NonNegative] float Alpha = 1f, [NonNegative(Max = 100_000)] int BatchSize = 0);
