namespace Lifelong.Training;

/// <summary>How a <see cref="DistillationTarget"/> compares the student's logits with the teacher's.</summary>
public enum DistillationLoss
{
    /// <summary>Hinton et al. (2015): T² · KL(softmax(teacher/T) ‖ softmax(student/T)), averaged over samples.</summary>
    SoftTargets,

    /// <summary>Mean squared error between logits (DER, Buzzega et al. 2020).</summary>
    LogitMse,
}

/// <summary>Teacher outputs that a method wants the model to reproduce, with the weight of that term in the loss.</summary>
/// <param name="TeacherLogits">(N, classes) target logits; no gradient flows into them.</param>
/// <param name="Weight">The term's coefficient (LwF's λ_o, DER's α).</param>
/// <param name="Loss">How logits are compared.</param>
/// <param name="Temperature">T for <see cref="DistillationLoss.SoftTargets"/>; LwF uses 2.</param>
/// <param name="Samples">The inputs the targets belong to; null means the incoming batch (its first rows of the step).</param>
public sealed record DistillationTarget(Tensor TeacherLogits, float Weight, DistillationLoss Loss = DistillationLoss.SoftTargets, float Temperature = 2f, TrainingBatch? Samples = null);
