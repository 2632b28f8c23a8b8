using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>GELU: y = x·Φ(x) = ½x(1 + erf(x/√2)); with <paramref name="tanhApproximation"/>, ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
/// <param name="tanhApproximation">Use the tanh form (PyTorch's approximate='tanh'); exact by default, as PyTorch and timm.</param>
public sealed class GELU(bool tanhApproximation = false) : Module
{
    /// <param name="x">any shape</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => F.Gelu(x, tanhApproximation);
}
