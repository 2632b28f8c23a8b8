using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = x: a placeholder where a layer is optional.</summary>
public sealed class Identity : Module
{
    /// <param name="x">any shape</param> <returns>x itself</returns>
    public override Tensor Forward(Tensor x) => x;
}
