using Lifelong.Data;

namespace Lifelong.Training;

/// <summary>Samples for one training step: inputs, labels, and the output head each sample is scored on.</summary>
/// <param name="Inputs">Row-major inputs of <paramref name="Shape"/>: (N, features) for an MLP, (N, C, H, W) for image models.</param>
/// <param name="Shape">The inputs' shape; Shape[0] = N.</param>
/// <param name="Labels">(N) class labels within a head.</param>
/// <param name="Heads">(N) the head of each sample (0 for a single-head model).</param>
public sealed record TrainingBatch(float[] Inputs, int[] Shape, int[] Labels, int[] Heads)
{
    /// <summary>Number of samples N.</summary>
    public int Count => Labels.Length;

    /// <summary>Values per sample.</summary>
    public int SampleSize => Count == 0 ? Shape[1..].Aggregate(1, (a, b) => a * b) : Inputs.Length / Count;

    /// <summary>The inputs as a tensor of <see cref="Shape"/> (shares storage).</summary>
    public Tensor ToTensor() => Tensor.FromArray(Inputs, Shape);

    /// <summary>A loader's batch, every sample on <paramref name="head"/>.</summary>
    public static TrainingBatch From(Batch batch, int head) =>
        new(batch.Inputs, batch.Shape, batch.Labels, Enumerable.Repeat(head, batch.Count).ToArray());

    /// <summary>This batch followed by <paramref name="extra"/> (replayed samples), as one batch.</summary>
    public TrainingBatch Append(TrainingBatch extra)
    {
        if (extra.Count == 0) return this;
        if (extra.SampleSize != SampleSize)
            throw new ArgumentException($"TrainingBatch.Append: extra samples have {extra.SampleSize} values each, the batch {SampleSize}.", nameof(extra));
        int[] shape = [Count + extra.Count, .. Shape[1..]];
        return new TrainingBatch([.. Inputs, .. extra.Inputs], shape, [.. Labels, .. extra.Labels], [.. Heads, .. extra.Heads]);
    }

    /// <summary>Samples <paramref name="start"/>..start+count−1 as a batch (copies).</summary>
    public TrainingBatch Slice(int start, int count)
    {
        int size = SampleSize;
        int[] shape = [count, .. Shape[1..]];
        return new TrainingBatch(Inputs.AsSpan(start * size, count * size).ToArray(), shape, Labels.AsSpan(start, count).ToArray(), Heads.AsSpan(start, count).ToArray());
    }
}
