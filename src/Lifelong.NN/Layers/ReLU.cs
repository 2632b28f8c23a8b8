using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = max(x, 0), elementwise.</summary>
public sealed class ReLU : Module
{
    /// <param name="x">any shape</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => F.Relu(x);
}
