using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>CReLU: y = [max(x, 0), max(−x, 0)] concatenated along <paramref name="axis"/>, doubling that dim (Shang et al. 2016).</summary>
/// <remarks>Used against loss of plasticity (Abbas et al. 2023): a unit is never dead on both halves. The layer after it takes twice the width.</remarks>
/// <param name="axis">The dim that doubles: −1 (features) after a linear layer, 1 (channels) after a convolution.</param>
public sealed class CReLU(int axis = -1) : Module
{
    /// <param name="x">(…, d, …)</param> <returns>(…, 2d, …), the positive half first</returns>
    public override Tensor Forward(Tensor x) => F.CRelu(x, axis);
}
