using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = x for x ≥ 0, a·x for x &lt; 0, elementwise (PyTorch's <c>LeakyReLU(negative_slope=a)</c>).</summary>
/// <remarks>Computed as max(x, a·x), which is that function for 0 ≤ a ≤ 1 and keeps a·x bit for bit PyTorch's product.
/// The continual-CartPole protocol's networks use a = 0.1 (C-CHAIN <c>--act_f l_relu</c>).</remarks>
/// <param name="negativeSlope">a, in [0, 1]; PyTorch's default is 0.01.</param>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    /// <summary>The slope a for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope is >= 0 and <= 1 ? negativeSlope : throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyReLU: the negative slope must lie in [0, 1].");

    /// <param name="x">any shape</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => x.Maximum(x * NegativeSlope);
}
