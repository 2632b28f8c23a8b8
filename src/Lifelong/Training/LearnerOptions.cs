using Lifelong.Data;

namespace Lifelong.Training;

/// <summary>How a <see cref="Learner"/> feeds data to its model.</summary>
/// <param name="Normalization">Pixel normalisation; [0, 1] by default, [−1, 1] (<see cref="Normalization.Symmetric"/>) as the L2 Init code.</param>
/// <param name="Transforms">Training-time augmentations (random crop, flip); none by default.</param>
/// <param name="LabelSmoothing">Label smoothing of the task's cross-entropy; 0 by default.</param>
public sealed record LearnerOptions(Normalization? Normalization = null, IReadOnlyList<IImageTransform>? Transforms = null, float LabelSmoothing = 0f);
