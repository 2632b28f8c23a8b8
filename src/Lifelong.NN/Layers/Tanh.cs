using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = tanh(x), elementwise.</summary>
public sealed class Tanh : Module
{
    /// <param name="x">any shape</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => x.Tanh();
}
