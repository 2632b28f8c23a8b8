using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="DarkExperienceReplay"/> and <see cref="DarkExperienceReplayPlusPlus"/>.</summary>
/// <param name="Size">Samples (with their logits) the memory holds.</param>
/// <param name="Alpha">α, the weight of the logit-matching term; 1.0 in Mammoth's best permuted-MNIST settings (buffer 200/500).</param>
/// <param name="Beta">β, DER++'s weight of the cross-entropy on a second memory minibatch; 0.5–1.0 in Mammoth (ignored by DER).</param>
/// <param name="BatchSize">Memory samples per term per step; null uses the incoming batch size.</param>
public sealed record DerOptions(int Size = 500, float Alpha = 1f, float Beta = 0.5f, int? BatchSize = null)
{
    /// <summary>Size ≥ 1.</summary>
    public int Size { get; } = Size >= 1 ? Size : throw new ArgumentOutOfRangeException(nameof(Size), Size, "size must be ≥ 1.");
}

/// <summary>Dark Experience Replay: loss += α · MSE(f(x′), z′) for memory samples x′ stored with the logits z′ the model gave them then.</summary>
/// <remarks>Buzzega et al., "Dark Experience for General Continual Learning: a Strong, Simple Baseline", NeurIPS 2020 (Mammoth's
/// <c>der.py</c>): the memory is a reservoir over the stream that stores each sample's pre-update logits; matching them
/// distils the model's past function rather than only the labels.</remarks>
[Method("forgetting", "Buzzega et al. 2020, Dark Experience for General Continual Learning, NeurIPS (arXiv 2004.07211)")]
public class DarkExperienceReplay(DerOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "der";

    private ReservoirBuffer? _buffer;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public DerOptions Options { get; } = options;

    /// <summary>The RNG for memory draws and reservoir updates.</summary>
    protected Rng Random { get; private set; } = new(0);

    /// <summary>The memory (null before the first step).</summary>
    protected ReservoirBuffer? Buffer => _buffer;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => Random = learner.Rng.Split(Name);

    /// <inheritdoc/>
    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        if (_buffer is not { Count: > 0 }) return null;
        var (samples, logits) = _buffer.Sample(Options.BatchSize ?? step.IncomingCount, step.Batch.Shape[1..], Random);
        return new DistillationTarget(logits!, Options.Alpha, DistillationLoss.LogitMse, Samples: samples);
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        _buffer ??= new ReservoirBuffer(Options.Size, step.Batch.SampleSize);
        int width = step.Logits.Shape[1];
        _buffer.Add(step.Batch, step.IncomingCount, Random, step.Logits.Span[..(step.IncomingCount * width)], width);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetRng("rng", Random);
        state.Values["sample_size"] = _buffer?.SampleSize ?? 0;
        _buffer?.Save(state, "buffer");
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", Random);
        int sampleSize = state.Values["sample_size"]!.GetValue<int>();
        if (sampleSize == 0) return;
        _buffer = new ReservoirBuffer(Options.Size, sampleSize);
        _buffer.Load(state, "buffer");
    }
}

/// <summary>DER++: DER plus β · CE(f(x″), y″) on a second, independent memory minibatch.</summary>
/// <remarks>Buzzega et al. 2020 (Mammoth's <c>derpp.py</c>): the label term corrects stored logits that were wrong or stale.</remarks>
[Method("forgetting", "Buzzega et al. 2020, Dark Experience for General Continual Learning, NeurIPS (arXiv 2004.07211)")]
public sealed class DarkExperienceReplayPlusPlus(DerOptions options) : DarkExperienceReplay(options)
{
    /// <summary>The command-line name.</summary>
    public new const string MethodName = "derpp";

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        if (Buffer is not { Count: > 0 } buffer) return null;
        var (samples, _) = buffer.Sample(Options.BatchSize ?? step.IncomingCount, step.Batch.Shape[1..], Random);
        return F.CrossEntropy(learner.Model.Forward(samples.ToTensor(), samples.Heads), samples.Labels) * Options.Beta;
    }
}
