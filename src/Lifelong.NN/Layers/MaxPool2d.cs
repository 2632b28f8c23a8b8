using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y[n, c, i, j] = max over the k×k window at (i·s − p, j·s − p); padding counts as −∞.</summary>
/// <param name="kernelSize">Window side k.</param>
/// <param name="stride">Step s; defaults to k, as PyTorch.</param>
/// <param name="padding">Padding p on each side.</param>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Module
{
    /// <param name="x">(N, C, H, W)</param> <returns>(N, C, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1)</returns>
    public override Tensor Forward(Tensor x) => F.MaxPool2d(x, kernelSize, stride, padding);
}
