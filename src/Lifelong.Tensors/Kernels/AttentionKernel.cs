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
internal static unsafe class AttentionKernel
{
    /// <summary>Output and probabilities P = softmax(s·Q·Kᵀ) of samples [first, last).</summary>
    /// <remarks>Q is read in place (the product only broadcasts its values); K is transposed and V copied into tiles whose
    /// rows are whole vectors; the output is written in place when d_head is itself whole vectors.</remarks>
    public static void Forward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, Span<float> probabilities, Span<float> output, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim, paddedDh = layout.PaddedHeadDim;
        int qkvStride = 3 * layout.Dim, outStride = layout.Dim;
        bool direct = dh == paddedDh;
        var keysTransposed = new float[dh * padded];    // (d_head, padded N)
        var values = new float[n * paddedDh];           // (N, padded d_head)
        var result = new float[n * paddedDh];           // (N, padded d_head)
        fixed (float* pQkv = qkv, pProbabilities = probabilities, pOutput = output, pKeys = keysTransposed, pValues = values, pResult = result)
        {
            for (int b = first; b < last; b++)
            {
                for (int h = 0; h < layout.Heads; h++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        Copy(pQkv + layout.Value(b, j, h), pValues + j * paddedDh, dh);
                        float* key = pQkv + layout.Key(b, j, h);
                        for (int c = 0; c < dh; c++) pKeys[c * padded + j] = key[c];
                    }
                    float* p = pProbabilities + layout.Probabilities(b, h);
                    Multiply(pQkv + layout.Query(b, 0, h), qkvStride, n, dh, pKeys, padded, scale, p, padded);   // s·Q·Kᵀ
                    Softmax(new Span<float>(p, n * padded), n, padded);
                    float* o = pOutput + layout.Output(b, 0, h);
                    if (direct)
                    {
                        Multiply(p, padded, n, n, pValues, paddedDh, 1f, o, outStride);   // P·V, into the output
                    }
                    else
                    {
                        Multiply(p, padded, n, n, pValues, paddedDh, 1f, pResult, paddedDh);
                        for (int i = 0; i < n; i++) Copy(pResult + i * paddedDh, o + i * outStride, dh);
                    }
                }
            }
        }
    }

    /// <summary>d(qkv) of samples [first, last), from dO and the forward's P: dV = Pᵀ·dO, dS = s·P ⊙ (dO·Vᵀ − rowsum(P ⊙ dO·Vᵀ)),
    /// dQ = dS·K, dK = dSᵀ·Q. Every entry of those samples is written.</summary>
    /// <remarks>dO is read in place where it is broadcast (dO·Vᵀ) and copied where it is a tile (Pᵀ·dO); the results go
    /// straight into d(qkv) when d_head is whole vectors.</remarks>
    public static void Backward(in AttentionLayout layout, float scale, ReadOnlySpan<float> qkv, ReadOnlySpan<float> probabilities,
        ReadOnlySpan<float> gradOutput, Span<float> gradQkv, int first, int last)
    {
        int n = layout.Tokens, padded = layout.PaddedTokens, dh = layout.HeadDim, paddedDh = layout.PaddedHeadDim;
        int qkvStride = 3 * layout.Dim, outStride = layout.Dim;
        bool direct = dh == paddedDh;
        var queries = new float[n * paddedDh];          // (N, padded d_head)
        var keys = new float[n * paddedDh];             // (N, padded d_head)
        var valuesTransposed = new float[dh * padded];  // (d_head, padded N)
        var gradHeads = new float[n * paddedDh];        // dO, (N, padded d_head)
        var gradScores = new float[n * padded];         // dS, (N, padded N)
        var transposed = new float[n * padded];         // dSᵀ or Pᵀ, (N, padded N)
        var result = new float[n * paddedDh];           // (N, padded d_head)
        fixed (float* pQkv = qkv, pProbabilities = probabilities, pGradOutput = gradOutput, pGradQkv = gradQkv,
            pQueries = queries, pKeys = keys, pValues = valuesTransposed, pGradHeads = gradHeads, pGradScores = gradScores,
            pTransposed = transposed, pResult = result)
        {
            for (int b = first; b < last; b++)
            {
                for (int h = 0; h < layout.Heads; h++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        Copy(pQkv + layout.Query(b, j, h), pQueries + j * paddedDh, dh);
                        Copy(pQkv + layout.Key(b, j, h), pKeys + j * paddedDh, dh);
                        Copy(pGradOutput + layout.Output(b, j, h), pGradHeads + j * paddedDh, dh);
                        float* value = pQkv + layout.Value(b, j, h);
                        for (int c = 0; c < dh; c++) pValues[c * padded + j] = value[c];
                    }
                    float* p = pProbabilities + layout.Probabilities(b, h);

                    Transpose(p, n, padded, pTransposed);
                    MultiplyInto(pTransposed, padded, n, n, pGradHeads, paddedDh, pGradQkv + layout.Value(b, 0, h), qkvStride);   // dV = Pᵀ·dO

                    Multiply(pGradOutput + layout.Output(b, 0, h), outStride, n, dh, pValues, padded, 1f, pGradScores, padded);   // dP = dO·Vᵀ
                    for (int i = 0; i < n; i++) SoftmaxBackward(new ReadOnlySpan<float>(p + i * padded, padded), new Span<float>(pGradScores + i * padded, padded), n, scale);

                    MultiplyInto(pGradScores, padded, n, n, pKeys, paddedDh, pGradQkv + layout.Query(b, 0, h), qkvStride);   // dQ = dS·K

                    Transpose(pGradScores, n, padded, pTransposed);
                    MultiplyInto(pTransposed, padded, n, n, pQueries, paddedDh, pGradQkv + layout.Key(b, 0, h), qkvStride);   // dK = dSᵀ·Q
                }
            }
        }

        // rows (N) × d_head of a product with scale 1, written to d(qkv) rows `stride` apart: directly, or through the scratch tile.
        void MultiplyInto(float* a, int aStride, int rows, int inner, float* tile, int width, float* destination, int stride)
        {
            if (direct)
            {
                Multiply(a, aStride, rows, inner, tile, width, 1f, destination, stride);
                return;
            }
            fixed (float* pResult = result)
            {
                Multiply(a, aStride, rows, inner, tile, width, 1f, pResult, width);
                for (int i = 0; i < rows; i++) Copy(pResult + i * width, destination + i * stride, dh);
            }
        }
    }

    /// <summary>result (rows, width; rows <paramref name="resultStride"/> apart) = s · a (rows, inner; rows
    /// <paramref name="aStride"/> apart) · tile (inner, width), with width a whole number of vectors: each result row is a
    /// sum of scaled tile rows, four result rows at a time so that four independent sums hide the latency of the adds.</summary>
    /// <remarks>Each element is 0 + a₀t₀ + a₁t₁ + … in order of the inner index, each product rounded and then added
    /// (no fused multiply-add), then multiplied by s: the order every path of this kernel has always used.</remarks>
    private static void Multiply(float* a, int aStride, int rows, int inner, float* tile, int width, float s, float* result, int resultStride)
    {
        var scale = new Vector<float>(s);
        int count = Vector<float>.Count;
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            float* a0 = a + i * aStride, a1 = a0 + aStride, a2 = a1 + aStride, a3 = a2 + aStride;
            float* r0 = result + i * resultStride, r1 = r0 + resultStride, r2 = r1 + resultStride, r3 = r2 + resultStride;
            for (int j = 0; j < width; j += count)
            {
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* t = tile + j;
                for (int c = 0; c < inner; c++, t += width)
                {
                    var row = Vector.Load(t);
                    s0 += new Vector<float>(a0[c]) * row;
                    s1 += new Vector<float>(a1[c]) * row;
                    s2 += new Vector<float>(a2[c]) * row;
                    s3 += new Vector<float>(a3[c]) * row;
                }
                (scale * s0).Store(r0 + j);
                (scale * s1).Store(r1 + j);
                (scale * s2).Store(r2 + j);
                (scale * s3).Store(r3 + j);
            }
        }
        for (; i < rows; i++)
        {
            float* row = a + i * aStride, r = result + i * resultStride;
            for (int j = 0; j < width; j += count)
            {
                Vector<float> sum = default;
                float* t = tile + j;
                for (int c = 0; c < inner; c++, t += width) sum += new Vector<float>(row[c]) * Vector.Load(t);
                (scale * sum).Store(r + j);
            }
        }
    }

    /// <summary>destination[0..count) = source[0..count), a whole vector at a time where it fits.</summary>
    private static void Copy(float* source, float* destination, int count)
    {
        int k = 0;
        for (; k + Vector<float>.Count <= count; k += Vector<float>.Count) Vector.Load(source + k).Store(destination + k);
        for (; k < count; k++) destination[k] = source[k];
    }

    /// <summary>transposed[j, i] = matrix[i, j] for i, j &lt; n, rows <paramref name="stride"/> long; the padding columns are 0.</summary>
    private static void Transpose(float* matrix, int n, int stride, float* transposed)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) transposed[j * stride + i] = matrix[i * stride + j];
    }

    /// <summary>Softmax in place of each of the <paramref name="tokens"/> rows of scores, whose padding columns become 0.</summary>
    /// <remarks>The row sum is <see cref="Reductions.Sum(ReadOnlySpan{float})"/> over the tokens, so it does not depend on the vector width.</remarks>
    private static void Softmax(Span<float> scores, int tokens, int padded)
    {
        for (int i = 0; i < tokens; i++)
        {
            var row = scores.Slice(i * padded, padded);
            // Padding columns hold scores against zero keys (0): set them to −∞ before the max, so the shift is the largest real
            // score on every path. Otherwise a row of negative scores is shifted by 0 where the vector width pads it and by its
            // maximum where it does not, and the bits depend on the CPU.
            row[tokens..].Fill(float.NegativeInfinity);
            var max = new Vector<float>(float.NegativeInfinity);
            for (int j = 0; j < padded; j += Vector<float>.Count) max = Vector.Max(max, new Vector<float>(row[j..]));
            float shift = float.NegativeInfinity;
            for (int k = 0; k < Vector<float>.Count; k++) shift = MathF.Max(shift, max[k]);
            TensorPrimitives.Subtract(row[..tokens], shift, row[..tokens]);
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
