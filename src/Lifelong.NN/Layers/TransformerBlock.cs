using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A pre-norm transformer block, timm's <c>Block</c>: x ← x + attn(norm1(x)); x ← x + mlp(norm2(x)).</summary>
/// <remarks>Children <c>norm1</c>, <c>attn</c> (<see cref="MultiHeadSelfAttention"/>), <c>norm2</c>, <c>mlp</c> (<see cref="FeedForward"/>), in timm's order.</remarks>
public sealed class TransformerBlock : Module
{
    /// <summary>The norm before attention.</summary>
    public LayerNorm Norm1 { get; }

    /// <summary>Self-attention.</summary>
    public MultiHeadSelfAttention Attn { get; }

    /// <summary>The norm before the MLP.</summary>
    public LayerNorm Norm2 { get; }

    /// <summary>The position-wise MLP.</summary>
    public FeedForward Mlp { get; }

    /// <summary>A block over tokens of width <paramref name="dim"/>.</summary>
    /// <param name="dim">Token width D.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="rng">Init stream.</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of D (timm: 4).</param>
    /// <param name="qkvBias">Bias on the qkv projection.</param>
    /// <param name="layerNormEps">ε of both norms: PyTorch's 1e-5 by default; timm's ViT passes 1e-6.</param>
    public TransformerBlock(int dim, int heads, Rng rng, float mlpRatio = 4f, bool qkvBias = true, float layerNormEps = 1e-5f)
    {
        Norm1 = AddModule("norm1", new LayerNorm(dim, layerNormEps));
        Attn = AddModule("attn", new MultiHeadSelfAttention(dim, heads, rng.Split("attn"), qkvBias));
        Norm2 = AddModule("norm2", new LayerNorm(dim, layerNormEps));
        Mlp = AddModule("mlp", new FeedForward(dim, (int)(dim * mlpRatio), rng.Split("mlp")));
    }

    /// <param name="x">(B, N, D)</param> <returns>(B, N, D)</returns>
    public override Tensor Forward(Tensor x)
    {
        x = x + Attn.Forward(Norm1.Forward(x));
        return x + Mlp.Forward(Norm2.Forward(x));
    }
}
