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

    /// <summary>The widest vectors the machine accelerates: the path <see cref="Sum(ReadOnlySpan{float})"/> and
    /// <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/> take.</summary>
    internal static VectorWidth Widest { get; } =
        Vector512.IsHardwareAccelerated || EngineInfo.Avx512Emulated ? VectorWidth.Bits512
        : Vector256.IsHardwareAccelerated ? VectorWidth.Bits256 : VectorWidth.Bits128;

    /// <summary>Σ x in the fixed order.</summary>
    public static float Sum(ReadOnlySpan<float> x) => Sum(x, Widest);

    /// <summary>Σ x in the fixed order on vectors of <paramref name="width"/>, accelerated or not: a width the machine
    /// lacks runs in software (tests check every path's bits on any machine that way).</summary>
    internal static float Sum(ReadOnlySpan<float> x, VectorWidth width)
    {
        ref float x0 = ref MemoryMarshal.GetReference(x);
        int whole = x.Length - x.Length % Lanes;
        float total = 0f;
        if (whole > 0)
        {
            total = width switch
            {
                VectorWidth.Bits512 => Sum512(ref x0, whole),
                VectorWidth.Bits256 => Sum256(ref x0, whole),
                _ => Sum128(ref x0, whole),
            };
        }
        for (int i = whole; i < x.Length; i++) total += x[i];
        return total;
    }

    private static float Sum512(ref float x0, int whole)
    {
        var s = Vector512<float>.Zero;
        for (int i = 0; i < whole; i += 16) s += Vector512.LoadUnsafe(ref x0, (nuint)i);
        return Fold(s.GetLower() + s.GetUpper());
    }

    private static float Sum256(ref float x0, int whole)
    {
        Vector256<float> s0 = default, s1 = default;
        for (int i = 0; i < whole; i += 16)
        {
            s0 += Vector256.LoadUnsafe(ref x0, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref x0, (nuint)i + 8);
        }
        return Fold(s0 + s1);
    }

    private static float Sum128(ref float x0, int whole)
    {
        Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i < whole; i += 16)
        {
            s0 += Vector128.LoadUnsafe(ref x0, (nuint)i);
            s1 += Vector128.LoadUnsafe(ref x0, (nuint)i + 4);
            s2 += Vector128.LoadUnsafe(ref x0, (nuint)i + 8);
            s3 += Vector128.LoadUnsafe(ref x0, (nuint)i + 12);
        }
        return Fold(s0 + s2, s1 + s3);
    }

    /// <summary>Σ x·y in the fixed order, each product fused into its partial sum.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Dot(x, y, Widest);

    /// <summary>Σ x·y in the fixed order on vectors of <paramref name="width"/>, accelerated or not.</summary>
    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y, VectorWidth width)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Dot: lengths {x.Length} and {y.Length} differ.");
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        int whole = x.Length - x.Length % Lanes;
        float total = 0f;
        if (whole > 0)
        {
            total = width switch
            {
                VectorWidth.Bits512 => Dot512(ref x0, ref y0, whole),
                VectorWidth.Bits256 => Dot256(ref x0, ref y0, whole),
                _ => Dot128(ref x0, ref y0, whole),
            };
        }
        for (int i = whole; i < x.Length; i++) total = MathF.FusedMultiplyAdd(x[i], y[i], total);
        return total;
    }

    private static float Dot512(ref float x0, ref float y0, int whole)
    {
        var s = Vector512<float>.Zero;
        for (int i = 0; i < whole; i += 16)
            s = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref x0, (nuint)i), Vector512.LoadUnsafe(ref y0, (nuint)i), s);
        return Fold(s.GetLower() + s.GetUpper());
    }

    private static float Dot256(ref float x0, ref float y0, int whole)
    {
        Vector256<float> s0 = default, s1 = default;
        for (int i = 0; i < whole; i += 16)
        {
            s0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i), Vector256.LoadUnsafe(ref y0, (nuint)i), s0);
            s1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref x0, (nuint)i + 8), Vector256.LoadUnsafe(ref y0, (nuint)i + 8), s1);
        }
        return Fold(s0 + s1);
    }

    private static float Dot128(ref float x0, ref float y0, int whole)
    {
        Vector128<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int i = 0; i < whole; i += 16)
        {
            s0 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i), Vector128.LoadUnsafe(ref y0, (nuint)i), s0);
            s1 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 4), Vector128.LoadUnsafe(ref y0, (nuint)i + 4), s1);
            s2 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 8), Vector128.LoadUnsafe(ref y0, (nuint)i + 8), s2);
            s3 = Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref x0, (nuint)i + 12), Vector128.LoadUnsafe(ref y0, (nuint)i + 12), s3);
        }
        return Fold(s0 + s2, s1 + s3);
    }

    /// <summary>Σ x² in the fixed order of <see cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
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

/// <summary>A vector width, for code whose paths are chosen by width and tested on every one.</summary>
internal enum VectorWidth
{
    /// <summary><c>Vector128</c>: SSE, NEON, or software.</summary>
    Bits128,
    /// <summary><c>Vector256</c>: AVX2.</summary>
    Bits256,
    /// <summary><c>Vector512</c>: AVX-512.</summary>
    Bits512,
}
