using Lifelong.Tensors;

namespace Lifelong.Data;

/// <summary>One minibatch: inputs as a row-major float array with their shape, and int class labels.</summary>
/// <param name="Inputs">(N, C, H, W) or, flattened, (N, C·H·W) values.</param>
/// <param name="Shape">The shape of <paramref name="Inputs"/>; Shape[0] is the batch size N.</param>
/// <param name="Labels">(N) class labels, as the engine's cross-entropy takes them.</param>
/// <param name="Indices">(N) the samples' indices in the source dataset (for replay buffers and probes).</param>
public sealed record Batch(float[] Inputs, int[] Shape, int[] Labels, int[] Indices)
{
    /// <summary>Number of samples N.</summary>
    public int Count => Labels.Length;

    /// <summary>The inputs as a tensor of shape <see cref="Shape"/>, sharing <see cref="Inputs"/> as storage (no copy).</summary>
    public Tensor ToTensor() => Tensor.FromArray(Inputs, Shape);
}
