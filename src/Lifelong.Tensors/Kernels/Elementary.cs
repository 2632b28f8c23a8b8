using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Lifelong.Tensors.Kernels;

/// <summary>exp, log, tanh, sigmoid and pow in float, one algorithm for every instruction set.</summary>
/// <remarks>
/// Each function is written once over <see cref="Vector{T}"/>, with fused multiply-adds, exact range reductions and
/// selects instead of branches, so each lane's result depends on its input alone: a 512-, 256- or 128-bit path, NEON, or
/// software vectors (no SIMD) give the same bits. A span's last elements are computed in a zero-padded vector, through
/// the same code. Neither <see cref="System.Numerics.Tensors.TensorPrimitives"/> (another algorithm per width, the C
/// runtime's in its scalar path) nor <see cref="MathF"/> (the C runtime's, which differs between operating systems) is used.
/// Polynomials are Cephes' (S. L. Moshier), as in many vectorised math libraries; the measured error against double
/// precision is stated on each function and checked by the tests.
/// </remarks>
internal static class Elementary
{
    /// <summary>eˣ; at most 1 ulp from the correctly rounded value (measured, subnormal results included).</summary>
    /// <remarks>x = n·ln2 + r with n = round(x/ln2) and r reduced exactly in two steps (Cody–Waite); eʳ ≈ 1 + r + r²·P(r)
    /// on |r| ≤ ln2/2 (Cephes expf); 2ⁿ is applied as two exact powers of two, so a subnormal result is rounded once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        var high = new Vector<float>(88.8f);
        var low = new Vector<float>(-104f);
        var clamped = Vector.ConditionalSelect(Vector.GreaterThan(x, high), high, x);
        clamped = Vector.ConditionalSelect(Vector.LessThan(clamped, low), low, clamped);
        // Adding 1.5·2²³ inside the fused multiply-add rounds x/ln2 to the nearest integer in one step.
        var shifter = new Vector<float>(12582912f);
        var n = Vector.FusedMultiplyAdd(clamped, new Vector<float>(1.44269504088896341f), shifter) - shifter;
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693359375f), clamped);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = new Vector<float>(1.9875691500e-4f);
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.3981999507e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        var y = Vector.FusedMultiplyAdd(p, r * r, r) + Vector<float>.One;
        // n ∈ [−150, 128] splits into two halves in [−75, 64], each a normal power of two.
        var exponent = Vector.ConvertToInt32(n);
        var half = Vector.ShiftRightArithmetic(exponent, 1);
        var bias = new Vector<int>(127);
        var scale1 = Vector.AsVectorSingle(Vector.ShiftLeft(half + bias, 23));
        var scale2 = Vector.AsVectorSingle(Vector.ShiftLeft(exponent - half + bias, 23));
        var result = y * scale1 * scale2;
        return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
    }

    /// <summary>ln x; at most 1 ulp from the correctly rounded value; ln 0 = −∞, ln of a negative number or NaN is NaN.</summary>
    /// <remarks>x = m·2ᵉ with m ∈ [√½, √2) (subnormals scaled by 2²³ first); ln(1 + f) ≈ f − f²/2 + f³·P(f) with f = m − 1
    /// (Cephes logf); e·ln2 is added in two parts, the large one exact.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Log(Vector<float> x)
    {
        var subnormal = Vector.LessThan(x, new Vector<float>(1.17549435e-38f));
        var scaled = Vector.ConditionalSelect(subnormal, x * new Vector<float>(8388608f), x);
        var bits = Vector.AsVectorInt32(scaled);
        var exponent = Vector.ShiftRightArithmetic(bits, 23) - new Vector<int>(127);
        exponent -= Vector.ConditionalSelect(Vector.AsVectorInt32(subnormal), new Vector<int>(23), Vector<int>.Zero);
        var m = Vector.AsVectorSingle((bits & new Vector<int>(0x007FFFFF)) | new Vector<int>(0x3F800000));   // [1, 2)
        var large = Vector.GreaterThan(m, new Vector<float>(1.41421356f));
        m = Vector.ConditionalSelect(large, m * new Vector<float>(0.5f), m);
        exponent -= Vector.AsVectorInt32(large);   // true is −1
        var e = Vector.ConvertToSingle(exponent);
        var f = m - Vector<float>.One;
        var z = f * f;
        var p = new Vector<float>(7.0376836292e-2f);
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(-1.1514610310e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(1.1676998740e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(-1.2420140846e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(1.4249322787e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(-1.6668057665e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(2.0000714765e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(-2.4999993993e-1f));
        p = Vector.FusedMultiplyAdd(p, f, new Vector<float>(3.3333331174e-1f));
        var y = p * f * z;
        y = Vector.FusedMultiplyAdd(e, new Vector<float>(-2.12194440e-4f), y);
        y = Vector.FusedMultiplyAdd(z, new Vector<float>(-0.5f), y);
        var result = Vector.FusedMultiplyAdd(e, new Vector<float>(0.693359375f), f + y);
        result = Vector.ConditionalSelect(Vector.Equals(x, new Vector<float>(float.PositiveInfinity)), x, result);
        result = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), new Vector<float>(float.NegativeInfinity), result);
        var invalid = Vector.LessThan(x, Vector<float>.Zero) | ~Vector.Equals(x, x);
        return Vector.ConditionalSelect(invalid, new Vector<float>(float.NaN), result);
    }

    /// <summary>tanh x; at most 2 ulp from the correctly rounded value.</summary>
    /// <remarks>|x| &lt; 0.625: x + x·z·P(z), z = x² (Cephes tanhf); beyond, 1 − 2/(e^{2|x|} + 1) with the sign of x.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        var z = x * x;
        var p = new Vector<float>(-5.70498872745e-3f);
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(2.06390887954e-2f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(-5.37397155531e-2f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(1.33314422036e-1f));
        p = Vector.FusedMultiplyAdd(p, z, new Vector<float>(-3.33332819422e-1f));
        var small = Vector.FusedMultiplyAdd(p * z, x, x);
        small = Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero), x, small);   // tanh(−0) = −0
        var magnitude = Vector.Abs(x);
        var large = Vector<float>.One - new Vector<float>(2f) / (Exp(magnitude + magnitude) + Vector<float>.One);
        var sign = Vector.AsVectorSingle(Vector.AsVectorInt32(x) & new Vector<int>(int.MinValue));
        large = Vector.AsVectorSingle(Vector.AsVectorInt32(large) | Vector.AsVectorInt32(sign));
        return Vector.ConditionalSelect(Vector.LessThan(magnitude, new Vector<float>(0.625f)), small, large);
    }

    /// <summary>σ(x) = 1/(1 + e⁻ˣ), through <see cref="Exp(Vector{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Exp(-x));

    /// <summary>ln x of one value, with the vector code (the same bits as in a span).</summary>
    public static float Log(float x) => Log(new Vector<float>(x))[0];

    /// <summary>eˣ of one value, with the vector code.</summary>
    public static float Exp(float x) => Exp(new Vector<float>(x))[0];

    /// <summary>y = eˣ elementwise.</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> y) => Map<ExpOperator>(x, y);

    /// <summary>y = ln x elementwise.</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> y) => Map<LogOperator>(x, y);

    /// <summary>y = tanh x elementwise.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => Map<TanhOperator>(x, y);

    /// <summary>y = σ(x) elementwise.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => Map<SigmoidOperator>(x, y);

    /// <summary>y = xᵖ elementwise for a constant p, as PyTorch's pow on float: NaN for x &lt; 0 unless p is an integer.</summary>
    /// <remarks>An integer p with |p| ≤ 64 is computed by repeated squaring (exact operations, fixed order), then
    /// inverted if negative; p = ½ is √x; any other p is e^{p·ln x} with the rounding error of p·ln x carried by a fused
    /// multiply-add (measured: within |p·ln x| + 2 ulp).</remarks>
    public static void Pow(ReadOnlySpan<float> x, float p, Span<float> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Pow: lengths {x.Length} and {y.Length} differ.");
        if (p == MathF.Round(p) && MathF.Abs(p) <= 64f)
        {
            int power = (int)MathF.Abs(p);
            for (int i = 0; i < x.Length; i++)
            {
                float result = 1f, square = x[i];
                for (int bit = power; bit > 0; bit >>= 1, square *= square)
                    if ((bit & 1) != 0) result *= square;
                y[i] = p < 0f ? 1f / result : result;
            }
            return;
        }
        if (p == 0.5f)
        {
            for (int i = 0; i < x.Length; i++) y[i] = MathF.Sqrt(x[i]);
            return;
        }
        Map(new PowOperator(p), x, y);
    }

    private interface IOperator
    {
        Vector<float> Invoke(Vector<float> x);
    }

    private readonly struct ExpOperator : IOperator
    {
        public Vector<float> Invoke(Vector<float> x) => Exp(x);
    }

    private readonly struct LogOperator : IOperator
    {
        public Vector<float> Invoke(Vector<float> x) => Log(x);
    }

    private readonly struct TanhOperator : IOperator
    {
        public Vector<float> Invoke(Vector<float> x) => Tanh(x);
    }

    private readonly struct SigmoidOperator : IOperator
    {
        public Vector<float> Invoke(Vector<float> x) => Sigmoid(x);
    }

    /// <summary>xᵖ = e^{p·ln x} for x &gt; 0 (p not an integer): 0 or ∞ at x = 0, NaN below.</summary>
    private readonly struct PowOperator(float exponent) : IOperator
    {
        public Vector<float> Invoke(Vector<float> x)
        {
            var p = new Vector<float>(exponent);
            var logarithm = Log(x);
            var product = p * logarithm;
            var error = Vector.FusedMultiplyAdd(p, logarithm, -product);   // p·ln x − product, exactly
            var power = Exp(product);
            var result = Vector.FusedMultiplyAdd(power, error, power);     // e^{product + error} to first order
            result = Vector.ConditionalSelect(Vector.Equals(power, new Vector<float>(float.PositiveInfinity)), power, result);
            return Vector.ConditionalSelect(Vector.Equals(x, Vector<float>.Zero),
                new Vector<float>(exponent > 0f ? 0f : float.PositiveInfinity), result);
        }
    }

    private static void Map<TOperator>(ReadOnlySpan<float> x, Span<float> y) where TOperator : struct, IOperator => Map(default(TOperator), x, y);

    private static void Map<TOperator>(TOperator op, ReadOnlySpan<float> x, Span<float> y) where TOperator : struct, IOperator
    {
        if (x.Length != y.Length) throw new ArgumentException($"Elementary: lengths {x.Length} and {y.Length} differ.");
        int width = Vector<float>.Count, i = 0;
        ref float x0 = ref MemoryMarshal.GetReference(x);
        ref float y0 = ref MemoryMarshal.GetReference(y);
        for (; i <= x.Length - width; i += width)
            op.Invoke(Vector.LoadUnsafe(ref x0, (nuint)i)).StoreUnsafe(ref y0, (nuint)i);
        if (i < x.Length)
        {
            // The tail through the same vector code, zero-padded.
            Span<float> buffer = stackalloc float[width];
            buffer.Clear();
            x[i..].CopyTo(buffer);
            var result = op.Invoke(new Vector<float>(buffer));
            result.CopyTo(buffer);
            buffer[..(x.Length - i)].CopyTo(y[i..]);
        }
    }
}
