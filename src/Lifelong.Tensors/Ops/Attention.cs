using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Scaled dot-product self-attention of every head, read straight from the packed projections:
    /// for each sample b and head h, O = softmax(s·Q·Kᵀ)·V along the keys, with the heads' outputs concatenated per token.</summary>
    /// <remarks>
    /// One op forward and one kernel backward, where the composite (<see cref="SelfAttentionComposite"/>, its test oracle)
    /// permutes qkv into per-head copies and runs a softmax of five ops and a few hundred tiny GEMMs. Backward, per (b, h),
    /// with P the probabilities kept from the forward pass and G = dO: dV = Pᵀ·G, dP = G·Vᵀ, dS = s·P ⊙ (dP − rowsum(P ⊙ dP)),
    /// dQ = dS·K, dK = dSᵀ·Q. When the backward itself is recorded (second-order MAML), it is written in differentiable ops
    /// of qkv and dO, so gradients of gradients stay exact. Both passes split the batch into fixed ranges of samples on the
    /// GEMM threads (<see cref="AttentionKernel"/>); a sample's result does not depend on the split.
    /// </remarks>
    /// <param name="qkv">(B, N, 3·D): each token's query, key and value, each laid out (heads, D / heads), as timm's qkv Linear.</param>
    /// <param name="heads">H; D must be a multiple of it.</param>
    /// <param name="scale">s, usually 1/√(D / heads).</param>
    /// <returns>(B, N, D)</returns>
    public static Tensor SelfAttention(this Tensor qkv, int heads, float scale)
    {
        if (qkv.Rank != 3 || heads <= 0 || qkv.Shape[2] % (3 * heads) != 0)
            throw new ArgumentException($"SelfAttention: expected packed projections (B, N, 3·D) with D a multiple of {heads} heads, got shape {qkv.Shape}.");
        var layout = new AttentionLayout(qkv.Shape[0], qkv.Shape[1], qkv.Shape[2] / 3, heads);
        var y = Tensor.Uninitialized(Shape.Wrap([layout.Batch, layout.Tokens, layout.Dim]));
        var probabilities = new float[layout.Batch * heads * layout.Tokens * layout.PaddedTokens];   // (B, H, N, padded N)
        int parts = AttentionParts(layout);
        GemmThreads.Run(parts, new AttentionJob(layout, scale, qkv.Storage, probabilities, null, y.Storage, parts));
        return Autograd.Record(y, [qkv], dy => [Autograd.IsGradEnabled
            ? SelfAttentionBackwardRecorded(qkv, dy, heads, scale)
            : SelfAttentionBackward(qkv, dy, probabilities, layout, scale)]);
    }

    private static Tensor SelfAttentionBackward(Tensor qkv, Tensor dy, float[] probabilities, AttentionLayout layout, float scale)
    {
        var dqkv = Tensor.Uninitialized(qkv.Shape);
        int parts = AttentionParts(layout);
        GemmThreads.Run(parts, new AttentionJob(layout, scale, qkv.Storage, probabilities, dy.Storage, dqkv.Storage, parts));
        return dqkv;
    }

    /// <summary>Ranges of samples for the threads: one while a pass is too small to repay waking a second.</summary>
    private static int AttentionParts(AttentionLayout layout)
    {
        long work = (long)layout.Batch * layout.Heads * layout.Tokens * layout.PaddedTokens * layout.HeadDim * 2;   // multiply-adds of scores and output
        return (int)Math.Clamp(work / Gemm.WorkPerThread, 1, Math.Min(Math.Min(Environment.ProcessorCount, Gemm.MaxThreads), layout.Batch));
    }

    /// <summary>The forward (no <c>GradOutput</c>) or the backward pass over one fixed range of samples per part.</summary>
    private readonly record struct AttentionJob(AttentionLayout Layout, float Scale, float[] Qkv, float[] Probabilities, float[]? GradOutput, float[] Result, int Parts) : IPartitionedJob
    {
        public void Run(int part)
        {
            int first = (int)((long)Layout.Batch * part / Parts), last = (int)((long)Layout.Batch * (part + 1) / Parts);
            if (GradOutput is null) AttentionKernel.Forward(Layout, Scale, Qkv, Probabilities, Result, first, last);
            else AttentionKernel.Backward(Layout, Scale, Qkv, Probabilities, GradOutput, Result, first, last);
        }
    }

    private static Tensor SelfAttentionBackwardRecorded(Tensor qkv, Tensor dy, int heads, float scale)
    {
        int b = qkv.Shape[0], n = qkv.Shape[1], d = qkv.Shape[2] / 3;
        var (q, k, v) = SplitHeads(qkv, heads);
        var p = F.Softmax(q.MatMul(k, transposeB: true) * scale, -1);
        var gradOutput = dy.Reshape(b, n, heads, d / heads).Transpose(1, 2);   // (B, H, N, d_head)
        var dScores = gradOutput.MatMul(v, transposeB: true);
        var dLogits = p * (dScores - (p * dScores).Sum([-1], keepDim: true)) * scale;
        var dQuery = dLogits.MatMul(k);
        var dKey = dLogits.MatMul(q, transposeA: true);
        var dValue = p.MatMul(gradOutput, transposeA: true);
        return Stack([dQuery, dKey, dValue], 0).Permute(1, 3, 0, 2, 4).Reshape(b, n, 3 * d);   // (3, B, H, N, d_head) → (B, N, 3·D)
    }

    /// <summary>The composite of differentiable primitives that <see cref="SelfAttention"/> fuses: its test oracle.</summary>
    internal static Tensor SelfAttentionComposite(this Tensor qkv, int heads, float scale)
    {
        int b = qkv.Shape[0], n = qkv.Shape[1], d = qkv.Shape[2] / 3;
        var (q, k, v) = SplitHeads(qkv, heads);
        var attention = F.Softmax(q.MatMul(k, transposeB: true) * scale, -1);   // (B, H, N, N)
        return attention.MatMul(v).Transpose(1, 2).Reshape(b, n, d);
    }

    /// <summary>Q, K and V, each (B, H, N, d_head), from packed (B, N, 3·D) projections.</summary>
    private static (Tensor Query, Tensor Key, Tensor Value) SplitHeads(Tensor qkv, int heads)
    {
        int b = qkv.Shape[0], n = qkv.Shape[1], d = qkv.Shape[2] / 3;
        var split = qkv.Reshape(b, n, 3, heads, d / heads).Permute(2, 0, 3, 1, 4);   // (3, B, H, N, d_head)
        return (split.Select(0, 0), split.Select(0, 1), split.Select(0, 2));
    }
}
