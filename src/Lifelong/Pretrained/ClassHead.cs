using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>A classifier fitted without gradients from features of the stream (class means, ridge regression), one task at a time.</summary>
/// <remarks>
/// Classes are <em>slots</em> head·classes + label, the layout of a <see cref="ContinualModel"/>'s outputs, so a multi-head
/// stream keeps its heads apart. A task is <see cref="BeginTask"/>, any number of <see cref="Observe"/> calls, then
/// <see cref="EndTask"/>; <see cref="Logits"/> may be called at any time and sees what has been observed so far.
/// </remarks>
public abstract class ClassHead(int slots)
{
    /// <summary>Number of class slots (heads × classes).</summary>
    public int Slots { get; } = slots > 0 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), slots, "A head needs at least one class.");

    /// <summary>Starts a task of <paramref name="samples"/> samples (a ridge head holds the last part out to choose λ).</summary>
    public abstract void BeginTask(int samples);

    /// <summary>Accumulates features of labelled samples.</summary>
    /// <param name="features">(N, D) backbone features.</param> <param name="slots">(N) class slot of each row.</param>
    public abstract void Observe(Tensor features, ReadOnlySpan<int> slots);

    /// <summary>Ends the task (a ridge head chooses λ and solves here).</summary>
    public abstract void EndTask();

    /// <summary>Scores of every slot.</summary>
    /// <param name="features">(N, D)</param> <returns>(N, Slots)</returns>
    public abstract Tensor Logits(Tensor features);

    /// <summary>Saves everything under keys starting with <paramref name="prefix"/>.</summary>
    public abstract void Save(MethodState state, string prefix);

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public abstract void Load(MethodState state, string prefix);
}
