using System.Numerics;

namespace Lifelong.Tensors.Kernels;

/// <summary>The elementwise passes of one LayerNorm row, forward and backward, each a single loop.</summary>
/// <remarks>
/// These replace chains of <see cref="System.Numerics.Tensors.TensorPrimitives"/> calls (three per row forward, seven
/// backward), whose fixed cost per call outweighed a 64-wide row's arithmetic in a ViT. Each element goes through the
/// same operations in the same order as that chain did — a subtraction, then a rounded multiply, then a fused
/// multiply-add, and so on — so the results are the same bits on every path: an elementwise operation does not depend on
/// how many lanes compute it. The scalar tail uses <see cref="MathF.FusedMultiplyAdd"/>, fused as the vectors are.
/// </remarks>
internal static class LayerNormRows
{
    /// <summary>output = row − mean.</summary>
    public static void Center(ReadOnlySpan<float> row, float mean, Span<float> output)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var m = new Vector<float>(mean);
            for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count) (new Vector<float>(row[j..]) - m).CopyTo(output[j..]);
        }
        for (; j < row.Length; j++) output[j] = row[j] - mean;
    }

    /// <summary>row ← fma(row·inverse, γ, β): the centred row normalised, scaled and shifted.</summary>
    public static void ScaleShift(Span<float> row, float inverse, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(inverse);
            for (; j <= row.Length - Vector<float>.Count; j += Vector<float>.Count)
                Vector.FusedMultiplyAdd(new Vector<float>(row[j..]) * s, new Vector<float>(gamma[j..]), new Vector<float>(beta[j..])).CopyTo(row[j..]);
        }
        for (; j < row.Length; j++) row[j] = MathF.FusedMultiplyAdd(row[j] * inverse, gamma[j], beta[j]);
    }

    /// <summary>x̂ = (x − mean)·rstd; dγ ← fma(g, x̂, dγ); dβ ← dβ + g; g' = g·γ.</summary>
    public static void Accumulate(ReadOnlySpan<float> x, float mean, float rstd, ReadOnlySpan<float> gradient, ReadOnlySpan<float> gamma,
        Span<float> xHat, Span<float> scaled, Span<float> gradGamma, Span<float> gradBeta)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var m = new Vector<float>(mean);
            var s = new Vector<float>(rstd);
            for (; j <= x.Length - Vector<float>.Count; j += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[j..]);
                var h = (new Vector<float>(x[j..]) - m) * s;
                h.CopyTo(xHat[j..]);
                Vector.FusedMultiplyAdd(g, h, new Vector<float>(gradGamma[j..])).CopyTo(gradGamma[j..]);
                (new Vector<float>(gradBeta[j..]) + g).CopyTo(gradBeta[j..]);
                (g * new Vector<float>(gamma[j..])).CopyTo(scaled[j..]);
            }
        }
        for (; j < x.Length; j++)
        {
            float h = (x[j] - mean) * rstd;
            xHat[j] = h;
            gradGamma[j] = MathF.FusedMultiplyAdd(gradient[j], h, gradGamma[j]);
            gradBeta[j] += gradient[j];
            scaled[j] = gradient[j] * gamma[j];
        }
    }

    /// <summary>xHat ← fma(g', rstd, x̂·a + b): dx, written over x̂.</summary>
    public static void InputGradient(Span<float> xHat, float a, float b, ReadOnlySpan<float> scaled, float rstd)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            var vb = new Vector<float>(b);
            var s = new Vector<float>(rstd);
            for (; j <= xHat.Length - Vector<float>.Count; j += Vector<float>.Count)
                Vector.FusedMultiplyAdd(new Vector<float>(scaled[j..]), s, new Vector<float>(xHat[j..]) * va + vb).CopyTo(xHat[j..]);
        }
        for (; j < xHat.Length; j++) xHat[j] = MathF.FusedMultiplyAdd(scaled[j], rstd, xHat[j] * a + b);
    }
}
