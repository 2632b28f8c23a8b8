using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = x·Wᵀ + b.</summary>
/// <remarks>Weight (out, in) and bias (out) ~ U(−1/√in, 1/√in), as PyTorch (<see cref="Init.PyTorchDefault"/>).</remarks>
public sealed class Linear : Module
{
    /// <summary>W, (out, in).</summary>
    public Parameter Weight { get; }

    /// <summary>b, (out); null without bias.</summary>
    public Parameter? Bias { get; }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>A linear layer with PyTorch's default init drawn from <paramref name="rng"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: widths must be positive, got {inFeatures} → {outFeatures}.");
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = AddParameter("weight", new Parameter(outFeatures, inFeatures));
        if (bias) Bias = AddParameter("bias", new Parameter(outFeatures));
        Init.PyTorchDefault(Weight, Bias, rng);
    }

    /// <param name="x">(*, in)</param> <returns>(*, out)</returns>
    public override Tensor Forward(Tensor x) => F.Linear(x, Resolve(Weight), Resolve(Bias));
}
