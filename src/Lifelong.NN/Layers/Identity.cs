using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = x: the identity layer, for model slots where a layer is optional (no norm, no activation).</summary>
public sealed class Identity : Module
{
    /// <param name="x">any shape</param> <returns>x itself</returns>
    public override Tensor Forward(Tensor x) => x;
}
