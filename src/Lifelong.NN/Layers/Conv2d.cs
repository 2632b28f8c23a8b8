using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>2-D cross-correlation: y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], square kernel, equal stride and zero padding on both axes.</summary>
/// <remarks>Weight (out, in, k, k) and bias (out) ~ U(−1/√(in·k²), 1/√(in·k²)), as PyTorch.</remarks>
public sealed class Conv2d : Module
{
    /// <summary>W, (out, in, k, k).</summary>
    public Parameter Weight { get; }

    /// <summary>b, (out); null without bias.</summary>
    public Parameter? Bias { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero rows and columns added on each side.</summary>
    public int Padding { get; }

    /// <summary>A convolution with PyTorch's default init drawn from <paramref name="rng"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng, int stride = 1, int padding = 0, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0)
            throw new ArgumentException($"Conv2d: invalid geometry in={inChannels} out={outChannels} kernel={kernelSize} stride={stride} padding={padding}.");
        (Stride, Padding) = (stride, padding);
        Weight = AddParameter("weight", new Parameter(outChannels, inChannels, kernelSize, kernelSize));
        if (bias) Bias = AddParameter("bias", new Parameter(outChannels));
        Init.PyTorchDefault(Weight, Bias, rng);
    }

    /// <param name="x">(N, in, H, W)</param> <returns>(N, out, ⌊(H + 2p − k)/s⌋ + 1, ⌊(W + 2p − k)/s⌋ + 1)</returns>
    public override Tensor Forward(Tensor x) => F.Conv2d(x, Resolve(Weight), Resolve(Bias), Stride, Padding);
}
