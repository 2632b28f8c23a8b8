using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Multi-head self-attention, as timm's <c>Attention</c>: [Q, K, V] = x·W_qkvᵀ + b, per head softmax(Q·Kᵀ/√d_head)·V, heads concatenated, then proj.</summary>
/// <remarks>
/// Parameters <c>qkv</c> (Linear D → 3D, the 3D outputs laid out as (3, heads, d_head)) and <c>proj</c> (Linear D → D),
/// so timm checkpoints load by name. Init is each Linear's PyTorch default; <see cref="Vit"/> re-initializes as timm.
/// </remarks>
public sealed class MultiHeadSelfAttention : Module
{
    private readonly float _scale;

    /// <summary>The joint query/key/value projection, D → 3D.</summary>
    public Linear Qkv { get; }

    /// <summary>The output projection, D → D.</summary>
    public Linear Proj { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Self-attention over tokens of width <paramref name="dim"/> split into <paramref name="heads"/> heads.</summary>
    /// <param name="dim">Token width D; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">Number of heads.</param>
    /// <param name="rng">Init stream.</param>
    /// <param name="qkvBias">Bias on the qkv projection (timm's ViT default: true).</param>
    public MultiHeadSelfAttention(int dim, int heads, Rng rng, bool qkvBias = true)
    {
        if (heads <= 0 || dim % heads != 0) throw new ArgumentException($"MultiHeadSelfAttention: dim {dim} is not a multiple of {heads} heads.");
        Heads = heads;
        _scale = 1f / MathF.Sqrt(dim / heads);
        Qkv = AddModule("qkv", new Linear(dim, 3 * dim, rng.Split("qkv"), qkvBias));
        Proj = AddModule("proj", new Linear(dim, dim, rng.Split("proj")));
    }

    /// <param name="x">(B, N, D)</param> <returns>(B, N, D)</returns>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 3) throw new ArgumentException($"MultiHeadSelfAttention: expected tokens (B, N, D), got shape {x.Shape}.");
        return Proj.Forward(Qkv.Forward(x).SelfAttention(Heads, _scale));
    }
}
