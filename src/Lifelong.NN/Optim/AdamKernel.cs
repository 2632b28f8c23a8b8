using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Adam's update in one pass over θ, g, m and v (instead of ten passes of array primitives), with the same
/// floating-point operations in the same order, so the result is bit-identical to the step written out op by op.</summary>
/// <remarks>
/// Per element: m ← m·β₁ + g·(1 − β₁); v ← v·β₂ + (g·g)·(1 − β₂); θ ← θ + (m / (√v / c₂ + ε))·(−s), with s = η/(1 − β₁ᵗ)
/// and c₂ = √(1 − β₂ᵗ). No fused multiply-add is used anywhere, so the vector and scalar paths round alike.
/// <para>Moments that can no longer change θ are set to zero where the gradient is exactly zero (dead units,
/// always-black pixels). Without this, those moments decay geometrically into the subnormal range, where each x86
/// multiply costs about a hundred cycles: a 90,000-parameter Adam step went from 0.3 ms to 3.7 ms as they did. The
/// flush leaves θ bit for bit what the unflushed computation gives: m is cleared only when it is below 1e-30 and its
/// bound |m|/ε·s already rounds away against θ (so this update and every later one while g stays zero, which only
/// shrink, leave θ unchanged; when a gradient returns, the dropped m shifts the new one by less than its last bit
/// unless that gradient is below ~1e-22), and v only when it is below 1e-30 and √v/c₂ + ε rounds to ε (so the
/// denominator is unchanged). Where g ≠ 0 nothing is flushed: with a penalty toward zero (L2, g = λθ) the moments of a
/// dead unit's weights do reach 1e-30, and Adam's ε-driven instability then lifts those weights back to ~1e-5, where
/// data gradients can revive the unit; an unconditional flush froze them at ~1e-27 instead, which kept L2's units dead
/// and made it lose plasticity over 500 permuted-MNIST tasks where PyTorch's L2 does not (docs/reproductions/l2init.md,
/// *How claim (c) first failed*).</para>
/// </remarks>
internal static class AdamKernel
{
    /// <param name="theta">θ, updated in place.</param> <param name="g">The gradient.</param>
    /// <param name="m">First moment, updated in place.</param> <param name="v">Second moment, updated in place.</param>
    /// <param name="beta1">β₁.</param> <param name="c1">1 − β₁, computed in double by the caller (as PyTorch's Python floats; 1 − 0.9f in float is another number).</param>
    /// <param name="beta2">β₂.</param> <param name="c2">1 − β₂, likewise.</param>
    /// <param name="stepSize">s = η/(1 − β₁ᵗ).</param> <param name="correction2">c₂ = √(1 − β₂ᵗ).</param> <param name="eps">ε.</param>
    public static void Apply(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float c1, float beta2, float c2, float stepSize, float correction2, float eps)
        => Apply(theta, g, m, v, beta1, c1, beta2, c2, stepSize, correction2, eps, WidestVectorBits);

    /// <summary>512, 256 or 0 (scalar only): the widest vectors the machine accelerates.</summary>
    internal static int WidestVectorBits { get; } =
        Vector512.IsHardwareAccelerated || EngineInfo.Avx512Emulated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>The same step on vectors of <paramref name="vectorBits"/> (512, 256, or 0 for scalar only), accelerated or
    /// not: a width the machine lacks runs in software with the same roundings, so tests compare every path's bits on any
    /// machine.</summary>
    internal static void Apply(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float c1, float beta2, float c2, float stepSize, float correction2, float eps, int vectorBits)
    {
        if (theta.Length != g.Length || m.Length != g.Length || v.Length != g.Length)
            throw new ArgumentException($"AdamKernel: θ, g, m and v have lengths {theta.Length}, {g.Length}, {m.Length}, {v.Length}.");
        float negativeStep = -stepSize;
        int i = vectorBits switch
        {
            512 => Apply512(theta, g, m, v, beta1, c1, beta2, c2, negativeStep, correction2, eps),
            256 => Apply256(theta, g, m, v, beta1, c1, beta2, c2, negativeStep, correction2, eps),
            _ => 0,
        };
        for (; i < g.Length; i++) Scalar(ref theta[i], g[i], ref m[i], ref v[i], beta1, beta2, c1, c2, negativeStep, correction2, eps, Tiny);
    }

    private const float Tiny = 1e-30f;

    /// <summary>The whole 16-float vectors of the step; returns how many elements it did.</summary>
    private static int Apply512(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float c1, float beta2, float c2, float negativeStep, float correction2, float eps)
    {
        int i = 0;
        ref float t0 = ref MemoryMarshal.GetReference(theta);
        ref float g0 = ref MemoryMarshal.GetReference(g);
        ref float m0 = ref MemoryMarshal.GetReference(m);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        var epsilon = Vector512.Create(eps);
        var tinyMoment = Vector512.Create(Tiny);
        for (; i <= g.Length - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            nuint at = (nuint)i;
            var gi = Vector512.LoadUnsafe(ref g0, at);
            var mi = Vector512.LoadUnsafe(ref m0, at) * beta1 + gi * c1;
            var vi = Vector512.LoadUnsafe(ref v0, at) * beta2 + gi * gi * c2;
            var thetaI = Vector512.LoadUnsafe(ref t0, at);
            if (Vector512.EqualsAny(gi, Vector512<float>.Zero))
            {
                var gZero = Vector512.Equals(gi, Vector512<float>.Zero);
                var mSpent = gZero & Vector512.LessThan(Vector512.Abs(mi), tinyMoment) & Vector512.Equals(thetaI + mi / epsilon * negativeStep, thetaI);
                var vSpent = gZero & Vector512.LessThan(vi, tinyMoment) & Vector512.Equals(Vector512.Sqrt(vi) / correction2 + epsilon, epsilon);
                mi = Vector512.ConditionalSelect(mSpent, Vector512<float>.Zero, mi);
                vi = Vector512.ConditionalSelect(vSpent, Vector512<float>.Zero, vi);
            }
            var denominator = Vector512.Sqrt(vi) / correction2 + epsilon;
            var ti = thetaI + mi / denominator * negativeStep;
            mi.StoreUnsafe(ref m0, at);
            vi.StoreUnsafe(ref v0, at);
            ti.StoreUnsafe(ref t0, at);
        }
        return i;
    }

    /// <summary>The whole 8-float vectors of the step; returns how many elements it did.</summary>
    private static int Apply256(Span<float> theta, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float beta1, float c1, float beta2, float c2, float negativeStep, float correction2, float eps)
    {
        int i = 0;
        ref float t0 = ref MemoryMarshal.GetReference(theta);
        ref float g0 = ref MemoryMarshal.GetReference(g);
        ref float m0 = ref MemoryMarshal.GetReference(m);
        ref float v0 = ref MemoryMarshal.GetReference(v);
        var epsilon = Vector256.Create(eps);
        var tinyMoment = Vector256.Create(Tiny);
        for (; i <= g.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            nuint at = (nuint)i;
            var gi = Vector256.LoadUnsafe(ref g0, at);
            var mi = Vector256.LoadUnsafe(ref m0, at) * beta1 + gi * c1;
            var vi = Vector256.LoadUnsafe(ref v0, at) * beta2 + gi * gi * c2;
            var thetaI = Vector256.LoadUnsafe(ref t0, at);
            if (Vector256.EqualsAny(gi, Vector256<float>.Zero))
            {
                var gZero = Vector256.Equals(gi, Vector256<float>.Zero);
                var mSpent = gZero & Vector256.LessThan(Vector256.Abs(mi), tinyMoment) & Vector256.Equals(thetaI + mi / epsilon * negativeStep, thetaI);
                var vSpent = gZero & Vector256.LessThan(vi, tinyMoment) & Vector256.Equals(Vector256.Sqrt(vi) / correction2 + epsilon, epsilon);
                mi = Vector256.ConditionalSelect(mSpent, Vector256<float>.Zero, mi);
                vi = Vector256.ConditionalSelect(vSpent, Vector256<float>.Zero, vi);
            }
            var denominator = Vector256.Sqrt(vi) / correction2 + epsilon;
            var ti = thetaI + mi / denominator * negativeStep;
            mi.StoreUnsafe(ref m0, at);
            vi.StoreUnsafe(ref v0, at);
            ti.StoreUnsafe(ref t0, at);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scalar(ref float theta, float g, ref float m, ref float v, float beta1, float beta2, float c1, float c2, float negativeStep, float correction2, float eps, float tiny)
    {
        m = m * beta1 + g * c1;
        v = v * beta2 + g * g * c2;
        if (g == 0f)
        {
            if (MathF.Abs(m) < tiny && theta + m / eps * negativeStep == theta) m = 0f;
            if (v < tiny && MathF.Sqrt(v) / correction2 + eps == eps) v = 0f;
        }
        theta += m / (MathF.Sqrt(v) / correction2 + eps) * negativeStep;
    }
}
