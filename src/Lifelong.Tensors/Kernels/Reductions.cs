using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Lifelong.Tensors.Kernels;

/// <summary>Sums and dot products in one order, the same on every instruction set: the engine's reductions.</summary>
/// <remarks>
/// The order is defined on 16 logical lanes, whatever the vector width. With n' = n − n mod 16, lane l accumulates the
/// elements i &lt; n' with i ≡ l (mod 16), in order, from 0 (a dot product with one fused multiply-add per element).
/// The lanes then fold in a fixed tree, halving each time: s[l] + s[l+8], then + [l+4], + [l+2], + [l+1]. The last
/// n mod 16 elements are added to that total one by one (fused multiply-adds for a dot product). A 512-bit path holds
/// the 16 lanes in one register, a 256-bit path in two, a 128-bit path (SSE, NEON, or software vectors) in four; each
/// fold is then a sum of two registers or of two halves of one, so every path rounds exactly alike.
/// <see cref="System.Numerics.Tensors.TensorPrimitives"/>' Sum and Dot are not used: their order follows the vector width.
/// </remarks>
internal static class Reductions
{
    /// <summary>The number of logical lanes.</summary>
    internal const int Lanes = 16;

    /// <summary>Σ x in the fixed order.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int whole = x.Length - x.Length % Lanes;
        float total = 0f;
        if (whole > 0)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var s = Vector512<float>.Zero;
                for (int i = 0; i < whole; i += 16) s += Vector512.LoadUnsafe(ref x0, (nuint)i);
                total = Fold(s.GetLower() + s.GetUpper());
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s0 = default, s1 = default;
                for (int i = 0; i < whole; i += 16)
                {
                    s0 += Vector256.LoadUnsafe(ref x0, (nuint)i);
                    s1 += Vector256.LoadUnsafe(ref x0, (nuint)i + 8);
                }
                total = Fold(s0 + s1);
            }
            else
            {
                Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int i = 0; i < whole; i += 16)
                {
                    s0 += Vector128.LoadUnsafe(ref x0, (nuint)i);
                    s1 += Vector128.LoadUnsafe(ref x0, (nuint)i + 4);
                    s2 += Vector128.LoadUnsafe(ref x0, (nuint)i + 8);
                    s3 += Vector128.LoadUnsafe(ref x0, (nuint)i + 12);
                }
                total = Fold(s0 + s2, s1 + s3);
            }
        }
        for (int i = whole; i < x.Length; i++) total += x[i];
        return total;
    }

    /// <summary>Σ x·y in the fixed order, each product fused into its partial sum.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Dot: lengths {x.Length} and {y.Length} differ.");
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int whole = x.Length - x.Length % Lanes;
        float total = 0f;
        if (whole > 0)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var s = Vector512<float>.Zero;
                for (int i = 0; i < whole; i += 16)
                    s = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512.LoadUnsafe(ref y0, (nuint)i), s);
                total = Fold(s.GetLower() + s.GetUpper());
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s0 = default, s1 = default;
                for (int i = 0; i < whole; i += 16)
                {
                    s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256.LoadUnsafe(ref y0, (nuint)i), s0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i + 8), Vector256.LoadUnsafe(ref y0, (nuint)i + 8), s1);
                }
                total = Fold(s0 + s1);
            }
            else
            {
                Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int i = 0; i < whole; i += 16)
                {
                    s0 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i), Vector128.LoadUnsafe(ref y0, (nuint)i), s0);
                    s1 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 4), Vector128.LoadUnsafe(ref y0, (nuint)i + 4), s1);
                    s2 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 8), Vector128.LoadUnsafe(ref y0, (nuint)i + 8), s2);
                    s3 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 12), Vector128.LoadUnsafe(ref y0, (nuint)i + 12), s3);
                }
                total = Fold(s0 + s2, s1 + s3);
            }
        }
        for (int i = whole; i < x.Length; i++) total = MathF.FusedMultiplyAdd(x[i], y[i], total);
        return total;
    }

    /// <summary>Σ x² in the fixed order of <see cref="Dot"/>.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => Dot(x, x);

    /// <summary>The definition itself, one lane at a time: the oracle the vector paths are tested against.</summary>
    internal static float SumReference(ReadOnlySpan<float> x, ReadOnlySpan<float> y, bool products)
    {
        int whole = x.Length - x.Length % Lanes;
        Span<float> lanes = stackalloc float[Lanes];
        lanes.Clear();
        for (int i = 0; i < whole; i++) lanes[i % Lanes] = products ? MathF.FusedMultiplyAdd(x[i], y[i], lanes[i % Lanes]) : lanes[i % Lanes] + x[i];
        for (int width = Lanes / 2; width >= 1; width /= 2)
            for (int l = 0; l < width; l++) lanes[l] += lanes[l + width];
        float total = whole > 0 ? lanes[0] : 0f;
        for (int i = whole; i < x.Length; i++) total = products ? MathF.FusedMultiplyAdd(x[i], y[i], total) : total + x[i];
        return total;
    }

    /// <summary>Folds 8 lanes (lane l = s[l] + s[l+8]) to one: + [l+4], then + [l+2], then + [l+1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fold(Vector256<float> eight) => Fold(eight.GetLower(), eight.GetUpper());

    /// <summary>Folds lanes 0–3 and 4–7 of 8 to one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fold(Vector128<float> low, Vector128<float> high)
    {
        var four = low + high;
        return (four.GetElement(0) + four.GetElement(2)) + (four.GetElement(1) + four.GetElement(3));
    }
}
