namespace Lifelong.Data;

/// <summary>A dataset's training and test parts, which share image shape and classes.</summary>
/// <param name="Train">The training images.</param>
/// <param name="Test">The held-out test images.</param>
public sealed record TrainTestSplit(Dataset Train, Dataset Test)
{
    /// <summary>Number of classes (the larger of the two parts').</summary>
    public int ClassCount => Math.Max(Train.ClassCount, Test.ClassCount);

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape => Train.Shape;
}
