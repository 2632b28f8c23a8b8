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
        int b = x.Shape[0], n = x.Shape[1], d = x.Shape[2];
        var qkv = Qkv.Forward(x).Reshape(b, n, 3, Heads, d / Heads).Permute(2, 0, 3, 1, 4);   // (3, B, H, N, d_head)
        var (q, k, v) = (qkv.Select(0, 0), qkv.Select(0, 1), qkv.Select(0, 2));
        var attention = F.Softmax(q.MatMul(k, transposeB: true) * _scale, -1);                // (B, H, N, N)
        var heads = attention.MatMul(v);                                                       // (B, H, N, d_head)
        return Proj.Forward(heads.Transpose(1, 2).Reshape(b, n, d));
    }
}
