using System.Numerics;
using System.Runtime.CompilerServices;

namespace Lifelong.Tensors.Kernels;

/// <summary>Offsets of one head's rows in packed projections qkv (B, N, 3·D) and in the attention output (B, N, D).</summary>
internal readonly record struct AttentionLayout(int Batch, int Tokens, int Dim, int Heads)
{
    public int HeadDim => Dim / Heads;

    /// <summary>Tokens rounded up to whole vectors: the width of a row of scores, so softmax runs without a scalar tail.</summary>
    public int PaddedTokens => (Tokens + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;

    public int Query(int b, int token, int head) => (b * Tokens + token) * 3 * Dim + head * HeadDim;

    public int Key(int b, int token, int head) => Query(b, token, head) + Dim;

    public int Value(int b, int token, int head) => Query(b, token, head) + 2 * Dim;

    public int Output(int b, int token, int head) => (b * Tokens + token) * Dim + head * HeadDim;

    /// <summary>Where the (N, padded N) probabilities of sample b, head h start.</summary>
    public int Probabilities(int b, int head) => (b * Heads + head) * Tokens * PaddedTokens;
}

/// <summary>Scaled dot-product attention per (sample, head) on a few dozen tokens, forward and backward.</summary>
/// <remarks>
/// A head is far too small for a packed GEMM (ViT-tiny: 17 tokens × 16 dims), and a dot product per score spends more on
/// its horizontal sum than on its multiplies. So keys (forward) and values (backward) are first transposed into a
/// (d_head, padded N) scratch tile, and a row of scores is a sum of d_head scaled tile rows: whole vectors, no horizontal
/// sums. Padding columns are −∞ before the softmax, hence exactly 0 after it. A sample is always computed by the same
/// code in the same order, whichever range and thread it falls in, so results do not depend on the split.
/// </remarks>
internal static class AttentionKernel
{
    /// <summary>Output and probabilities P = softmax(s·Q·Kᵀ) of samples [first, last).</summary>
    public static void Forward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, Span<float> probabilities, Span<float> output, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim;
        var keysTransposed = new float[dh * padded];   // (d_head, padded N); the padding columns stay 0
        for (int b = first; b < last; b++)
        {
            for (int h = 0; h < layout.Heads; h++)
            {
                for (int j = 0; j < n; j++)
                {
                    var key = qkv.Slice(layout.Key(b, j, h), dh);
                    for (int c = 0; c < dh; c++) keysTransposed[c * padded + j] = key[c];
                }
                var p = probabilities.Slice(layout.Probabilities(b, h), n * padded);
                for (int i = 0; i < n; i++)
                {
                    var row = p.Slice(i * padded, padded);
                    RowTimesTile(qkv.Slice(layout.Query(b, i, h), dh), keysTransposed, scale, row);
                    row[n..].Fill(float.NegativeInfinity);
                    Softmax(row);
                    var outputRow = output.Slice(layout.Output(b, i, h), dh);
                    outputRow.Clear();
                    for (int j = 0; j < n; j++) AddScaled(qkv.Slice(layout.Value(b, j, h), dh), row[j], outputRow);
                }
            }
        }
    }

    /// <summary>Adds d(qkv) of samples [first, last) into <paramref name="gradQkv"/> (zeros on entry), from dO and the forward's P.</summary>
    public static void Backward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> gradOutput, Span<float> gradQkv, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim;
        var valuesTransposed = new float[dh * padded];
        var gradScores = new float[padded];
        for (int b = first; b < last; b++)
        {
            for (int h = 0; h < layout.Heads; h++)
            {
                for (int j = 0; j < n; j++)
                {
                    var value = qkv.Slice(layout.Value(b, j, h), dh);
                    for (int c = 0; c < dh; c++) valuesTransposed[c * padded + j] = value[c];
                }
                var p = probabilities.Slice(layout.Probabilities(b, h), n * padded);
                for (int i = 0; i < n; i++)
                {
                    var row = p.Slice(i * padded, padded);
                    var gradRow = gradOutput.Slice(layout.Output(b, i, h), dh);
                    RowTimesTile(gradRow, valuesTransposed, 1f, gradScores);   // dP_i· = dO_i·Vᵀ
                    for (int j = 0; j < n; j++) AddScaled(gradRow, row[j], gradQkv.Slice(layout.Value(b, j, h), dh));   // dV_j += P_ij·dO_i
                    SoftmaxBackward(row, gradScores, scale);   // now dS_i·, the gradient of the scaled-in scores
                    var query = qkv.Slice(layout.Query(b, i, h), dh);
                    var gradQuery = gradQkv.Slice(layout.Query(b, i, h), dh);
                    for (int j = 0; j < n; j++)
                    {
                        AddScaled(qkv.Slice(layout.Key(b, j, h), dh), gradScores[j], gradQuery);   // dQ_i += dS_ij·K_j
                        AddScaled(query, gradScores[j], gradQkv.Slice(layout.Key(b, j, h), dh));   // dK_j += dS_ij·Q_i
                    }
                }
            }
        }
    }

    /// <summary>row = s·Σ_c x_c·tile[c, ·] over a (x.Length, row.Length) tile.</summary>
    private static void RowTimesTile(ReadOnlySpan<float> x, ReadOnlySpan<float> tile, float s, Span<float> row)
    {
        int width = row.Length;
        for (int j = 0; j < width; j += Vector<float>.Count)
        {
            var sum = Vector<float>.Zero;
            for (int c = 0; c < x.Length; c++) sum += new Vector<float>(x[c]) * new Vector<float>(tile[(c * width + j)..]);
            (sum * s).CopyTo(row[j..]);
        }
    }

    /// <summary>In place over a row of whole vectors; −∞ entries become 0.</summary>
    private static void Softmax(Span<float> row)
    {
        var max = new Vector<float>(float.NegativeInfinity);
        for (int j = 0; j < row.Length; j += Vector<float>.Count) max = Vector.Max(max, new Vector<float>(row[j..]));
        float shift = float.NegativeInfinity;
        for (int k = 0; k < Vector<float>.Count; k++) shift = MathF.Max(shift, max[k]);
        var sum = Vector<float>.Zero;
        for (int j = 0; j < row.Length; j += Vector<float>.Count)
        {
            var e = Vector.Exp(new Vector<float>(row[j..]) - new Vector<float>(shift));
            e.CopyTo(row[j..]);
            sum += e;
        }
        var inverse = new Vector<float>(1f / Vector.Sum(sum));
        for (int j = 0; j < row.Length; j += Vector<float>.Count) (new Vector<float>(row[j..]) * inverse).CopyTo(row[j..]);
    }

    /// <summary>gradient ← s·p ⊙ (gradient − ⟨p, gradient⟩): from d(probabilities) to d(scores before the scale s).</summary>
    private static void SoftmaxBackward(ReadOnlySpan<float> p, Span<float> gradient, float s)
    {
        var dots = Vector<float>.Zero;
        for (int j = 0; j < p.Length; j += Vector<float>.Count) dots += new Vector<float>(p[j..]) * new Vector<float>(gradient[j..]);
        var expected = new Vector<float>(Vector.Sum(dots));
        var scale = new Vector<float>(s);
        for (int j = 0; j < p.Length; j += Vector<float>.Count)
            (scale * new Vector<float>(p[j..]) * (new Vector<float>(gradient[j..]) - expected)).CopyTo(gradient[j..]);
    }

    /// <summary>y += s·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaled(ReadOnlySpan<float> x, float s, Span<float> y)
    {
        var scale = new Vector<float>(s);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) (new Vector<float>(y[i..]) + scale * new Vector<float>(x[i..])).CopyTo(y[i..]);
        for (; i < x.Length; i++) y[i] += s * x[i];
    }
}
