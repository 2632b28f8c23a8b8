using System.Numerics;
using System.Numerics.Tensors;

namespace Lifelong.Tensors.Kernels;

/// <summary>Offsets of one head's rows in packed projections qkv (B, N, 3·D) and in the attention output (B, N, D).</summary>
internal readonly record struct AttentionLayout(int Batch, int Tokens, int Dim, int Heads)
{
    public int HeadDim => Dim / Heads;

    /// <summary>Tokens rounded up to whole vectors: the width of a row of scores, so softmax runs without a scalar tail.</summary>
    public int PaddedTokens => RoundUp(Tokens);

    /// <summary>d_head rounded up to whole vectors: the width of a head's rows in the scratch tiles.</summary>
    public int PaddedHeadDim => RoundUp(HeadDim);

    public int Query(int b, int token, int head) => (b * Tokens + token) * 3 * Dim + head * HeadDim;

    public int Key(int b, int token, int head) => Query(b, token, head) + Dim;

    public int Value(int b, int token, int head) => Query(b, token, head) + 2 * Dim;

    public int Output(int b, int token, int head) => (b * Tokens + token) * Dim + head * HeadDim;

    /// <summary>Where the (N, padded N) probabilities of sample b, head h start.</summary>
    public int Probabilities(int b, int head) => (b * Heads + head) * Tokens * PaddedTokens;

    private static int RoundUp(int size) => (size + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
}

/// <summary>Scaled dot-product attention per (sample, head) on a few dozen tokens, forward and backward.</summary>
/// <remarks>
/// A head is far too small for a packed GEMM (ViT-tiny: 17 tokens × 16 dims), and a dot product per score spends more on
/// its horizontal sum than on its multiplies. So each of the five small products of a head is written as rows times a
/// tile (<see cref="Multiply"/>): the head's operands are first copied, transposed where needed, into scratch tiles whose
/// rows are whole vectors (zero-padded), and a row of the result is a sum of scaled tile rows, four rows at a time.
/// Padding columns of the scores are −∞ before the softmax, hence exactly 0 after it. A sample is always computed by the
/// same code in the same order, whichever range and thread it falls in, so results do not depend on the split.
/// </remarks>
internal static class AttentionKernel
{
    /// <summary>Output and probabilities P = softmax(s·Q·Kᵀ) of samples [first, last).</summary>
    public static void Forward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, Span<float> probabilities, Span<float> output, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim, paddedDh = layout.PaddedHeadDim;
        var queries = new float[n * paddedDh];          // (N, padded d_head)
        var keysTransposed = new float[dh * padded];    // (d_head, padded N)
        var values = new float[n * paddedDh];           // (N, padded d_head)
        var result = new float[n * paddedDh];           // (N, padded d_head)
        for (int b = first; b < last; b++)
        {
            for (int h = 0; h < layout.Heads; h++)
            {
                for (int j = 0; j < n; j++)
                {
                    qkv.Slice(layout.Query(b, j, h), dh).CopyTo(queries.AsSpan(j * paddedDh));
                    qkv.Slice(layout.Value(b, j, h), dh).CopyTo(values.AsSpan(j * paddedDh));
                    var key = qkv.Slice(layout.Key(b, j, h), dh);
                    for (int c = 0; c < dh; c++) keysTransposed[c * padded + j] = key[c];
                }
                var p = probabilities.Slice(layout.Probabilities(b, h), n * padded);
                Multiply(queries, paddedDh, n, dh, keysTransposed, padded, scale, p);   // s·Q·Kᵀ
                Softmax(p, n, padded);
                Multiply(p, padded, n, n, values, paddedDh, 1f, result);   // P·V
                for (int i = 0; i < n; i++) result.AsSpan(i * paddedDh, dh).CopyTo(output.Slice(layout.Output(b, i, h), dh));
            }
        }
    }

    /// <summary>d(qkv) of samples [first, last), from dO and the forward's P: dV = Pᵀ·dO, dS = s·P ⊙ (dO·Vᵀ − rowsum(P ⊙ dO·Vᵀ)),
    /// dQ = dS·K, dK = dSᵀ·Q. Every entry of those samples is written.</summary>
    public static void Backward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> gradOutput, Span<float> gradQkv, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim, paddedDh = layout.PaddedHeadDim;
        var queries = new float[n * paddedDh];          // (N, padded d_head)
        var keys = new float[n * paddedDh];             // (N, padded d_head)
        var valuesTransposed = new float[dh * padded];  // (d_head, padded N)
        var gradHeads = new float[n * paddedDh];        // dO, (N, padded d_head)
        var gradScores = new float[n * padded];         // dS, (N, padded N)
        var transposed = new float[n * padded];         // dSᵀ or Pᵀ, (N, padded N)
        var result = new float[n * paddedDh];           // (N, padded d_head)
        for (int b = first; b < last; b++)
        {
            for (int h = 0; h < layout.Heads; h++)
            {
                for (int j = 0; j < n; j++)
                {
                    qkv.Slice(layout.Query(b, j, h), dh).CopyTo(queries.AsSpan(j * paddedDh));
                    qkv.Slice(layout.Key(b, j, h), dh).CopyTo(keys.AsSpan(j * paddedDh));
                    gradOutput.Slice(layout.Output(b, j, h), dh).CopyTo(gradHeads.AsSpan(j * paddedDh));
                    var value = qkv.Slice(layout.Value(b, j, h), dh);
                    for (int c = 0; c < dh; c++) valuesTransposed[c * padded + j] = value[c];
                }
                var p = probabilities.Slice(layout.Probabilities(b, h), n * padded);

                Transpose(p, n, padded, transposed);
                Multiply(transposed, padded, n, n, gradHeads, paddedDh, 1f, result);   // dV = Pᵀ·dO
                for (int j = 0; j < n; j++) result.AsSpan(j * paddedDh, dh).CopyTo(gradQkv.Slice(layout.Value(b, j, h), dh));

                Multiply(gradHeads, paddedDh, n, dh, valuesTransposed, padded, 1f, gradScores);   // dP = dO·Vᵀ
                for (int i = 0; i < n; i++) SoftmaxBackward(p.Slice(i * padded, padded), gradScores.AsSpan(i * padded, padded), n, scale);

                Multiply(gradScores, padded, n, n, keys, paddedDh, 1f, result);   // dQ = dS·K
                for (int i = 0; i < n; i++) result.AsSpan(i * paddedDh, dh).CopyTo(gradQkv.Slice(layout.Query(b, i, h), dh));

                Transpose(gradScores, n, padded, transposed);
                Multiply(transposed, padded, n, n, queries, paddedDh, 1f, result);   // dK = dSᵀ·Q
                for (int j = 0; j < n; j++) result.AsSpan(j * paddedDh, dh).CopyTo(gradQkv.Slice(layout.Key(b, j, h), dh));
            }
        }
    }

    /// <summary>result (rows, width) = s · a (rows, inner; rows <paramref name="aStride"/> apart) · tile (inner, width), with
    /// width a whole number of vectors: each result row is a sum of scaled tile rows, four result rows at a time so that four
    /// independent sums hide the latency of the adds.</summary>
    private static void Multiply(ReadOnlySpan<float> a, int aStride, int rows, int inner, ReadOnlySpan<float> tile, int width, float s, Span<float> result)
    {
        var scale = new Vector<float>(s);
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            var a0 = a[(i * aStride)..];
            var a1 = a[((i + 1) * aStride)..];
            var a2 = a[((i + 2) * aStride)..];
            var a3 = a[((i + 3) * aStride)..];
            for (int j = 0; j < width; j += Vector<float>.Count)
            {
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int c = 0; c < inner; c++)
                {
                    var t = new Vector<float>(tile[(c * width + j)..]);
                    s0 += new Vector<float>(a0[c]) * t;
                    s1 += new Vector<float>(a1[c]) * t;
                    s2 += new Vector<float>(a2[c]) * t;
                    s3 += new Vector<float>(a3[c]) * t;
                }
                (scale * s0).CopyTo(result[(i * width + j)..]);
                (scale * s1).CopyTo(result[((i + 1) * width + j)..]);
                (scale * s2).CopyTo(result[((i + 2) * width + j)..]);
                (scale * s3).CopyTo(result[((i + 3) * width + j)..]);
            }
        }
        for (; i < rows; i++)
        {
            var row = a[(i * aStride)..];
            for (int j = 0; j < width; j += Vector<float>.Count)
            {
                Vector<float> sum = default;
                for (int c = 0; c < inner; c++) sum += new Vector<float>(row[c]) * new Vector<float>(tile[(c * width + j)..]);
                (scale * sum).CopyTo(result[(i * width + j)..]);
            }
        }
    }

    /// <summary>transposed[j, i] = matrix[i, j] for i, j &lt; n, rows <paramref name="stride"/> long; the padding columns are 0.</summary>
    private static void Transpose(ReadOnlySpan<float> matrix, int n, int stride, Span<float> transposed)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) transposed[j * stride + i] = matrix[i * stride + j];
    }

    /// <summary>Softmax in place of each of the <paramref name="tokens"/> rows of scores, whose padding columns become 0.</summary>
    /// <remarks>The row sum is <see cref="Reductions.Sum"/> over the tokens, so it does not depend on the vector width.</remarks>
    private static void Softmax(Span<float> scores, int tokens, int padded)
    {
        for (int i = 0; i < tokens; i++)
        {
            var row = scores.Slice(i * padded, padded);
            var max = new Vector<float>(float.NegativeInfinity);
            for (int j = 0; j < padded; j += Vector<float>.Count) max = Vector.Max(max, new Vector<float>(row[j..]));
            float shift = float.NegativeInfinity;
            for (int k = 0; k < Vector<float>.Count; k++) shift = MathF.Max(shift, max[k]);
            TensorPrimitives.Subtract(row[..tokens], shift, row[..tokens]);
            row[tokens..].Fill(float.NegativeInfinity);
        }
        Elementary.Exp(scores, scores);   // one call for the whole head: per-row calls cost more than their arithmetic
        for (int i = 0; i < tokens; i++)
        {
            var row = scores.Slice(i * padded, padded);
            var inverse = new Vector<float>(1f / Reductions.Sum(row[..tokens]));
            for (int j = 0; j < padded; j += Vector<float>.Count) (new Vector<float>(row[j..]) * inverse).CopyTo(row[j..]);
        }
    }

    /// <summary>gradient ← s·p ⊙ (gradient − ⟨p, gradient⟩): from d(probabilities) to d(scores before the scale s).</summary>
    private static void SoftmaxBackward(ReadOnlySpan<float> p, Span<float> gradient, int tokens, float s)
    {
        var expected = new Vector<float>(Reductions.Dot(p[..tokens], gradient[..tokens]));
        var scale = new Vector<float>(s);
        for (int j = 0; j < p.Length; j += Vector<float>.Count)
            (scale * new Vector<float>(p[j..]) * (new Vector<float>(gradient[j..]) - expected)).CopyTo(gradient[j..]);
    }
}
