using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>DER++: L = CE(f(x), y) + α · MSE(h_θ(x′), z′) + β · CE(f(x″), y″), with (x′, z′) and (x″, y″) two independent draws from the memory (Buzzega et al. 2020).</summary>
/// <remarks>
/// As <see cref="Der"/>, plus the labels of stored rows replayed through a second cross-entropy. The β term is computed
/// from its own forward pass so that its weight is exactly β (appending the rows to the incoming batch would average
/// them into the task loss instead). Defaults from mammoth's best arguments on permuted MNIST, buffer 500: α = 1, β = 0.5.
/// </remarks>
[Method("forgetting", "Buzzega et al. 2020, Dark Experience for General Continual Learning, NeurIPS")]
public sealed class DerPlusPlus(DerPlusPlusOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "derpp";

    private ReplayBuffer? _buffer;

    /// <summary>DER++ with the default options.</summary>
    public DerPlusPlus() : this(new DerPlusPlusOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The memory (null before the run starts).</summary>
    public ReplayBuffer? Buffer => _buffer;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _buffer = new ReplayBuffer(options.Size, BufferPolicy.Reservoir, learner.Rng.Split(Name));

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        if (_buffer is not { Count: > 0 } buffer) return null;
        var (samples, _) = buffer.Sample(ReplayCount(step));
        return F.CrossEntropy(learner.Model.Forward(samples.ToTensor(), samples.Heads), samples.Labels) * options.Beta;
    }

    /// <inheritdoc/>
    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        if (_buffer is not { Count: > 0 } buffer) return null;
        var (samples, logits) = buffer.Sample(ReplayCount(step));
        return new DistillationTarget(logits!, options.Alpha, DistillationLoss.LogitMse, Samples: samples);
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step) =>
        _buffer?.Add(step.Batch.Slice(0, step.IncomingCount), step.Logits.Detach().Slice(0, 0, step.IncomingCount));

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => _buffer?.Save(state, "buffer");

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _buffer = new ReplayBuffer(options.Size, BufferPolicy.Reservoir, learner.Rng.Split(Name));
        _buffer.Load(state, "buffer");
    }

    private int ReplayCount(StepContext step) => options.BatchSize > 0 ? options.BatchSize : step.IncomingCount;
}

/// <summary>Options of <see cref="DerPlusPlus"/>.</summary>
/// <param name="Size">Memory size in rows.</param>
/// <param name="Alpha">Weight α of the logit-matching term (mammoth perm-MNIST, buffer 500: 1.0).</param>
/// <param name="Beta">Weight β of the replayed cross-entropy (mammoth perm-MNIST, buffer 500: 0.5; buffer 200: 1.0).</param>
/// <param name="BatchSize">Rows per replay draw (0: as many as the incoming batch).</param>
public sealed record DerPlusPlusOptions(int Size = 500, float Alpha = 1f, float Beta = 0.5f, int BatchSize = 0);
