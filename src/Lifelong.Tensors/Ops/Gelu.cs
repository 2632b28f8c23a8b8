using System.Numerics;
using System.Runtime.CompilerServices;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    private static readonly float InverseSqrtTwo = 1f / MathF.Sqrt(2f);
    private static readonly float InverseSqrtTwoPi = 1f / MathF.Sqrt(2f * MathF.PI);

    /// <summary>Exact GELU y = x·Φ(x) = ½x(1 + erf(x/√2)) as one op, forward and backward; the composite
    /// <c>x · (erf(x/√2) + 1) · ½</c> (<see cref="GeluComposite"/>) is its test oracle.</summary>
    /// <remarks>
    /// Φ is evaluated in float with Abramowitz &amp; Stegun 7.1.26 (|error in erf| ≤ 1.5e-7, the approximation PyTorch's
    /// vectorized CPU erf uses), in place of the double-precision series of <see cref="Erf"/>, which cost a third of a
    /// ViT training step. Backward: dx = g·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π); the exponential is the one the forward
    /// computes, so nothing is kept between the passes. When the backward itself is recorded (second-order MAML), it is
    /// written in differentiable ops of x, so gradients of gradients stay exact.
    /// </remarks>
    public static Tensor Gelu(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        GeluKernel(x.Span, default, y.Span);
        return Autograd.Record(y, [x], dy => [Autograd.IsGradEnabled ? GeluBackwardRecorded(x, dy) : GeluBackward(x, dy)]);
    }

    private static Tensor GeluBackward(Tensor x, Tensor dy)
    {
        var dx = Tensor.Uninitialized(x.Shape);
        GeluKernel(x.Span, dy.Span, dx.Span);
        return dx;
    }

    private static Tensor GeluBackwardRecorded(Tensor x, Tensor dy) =>
        dy * ((x * InverseSqrtTwo).Erf().Add(1f).Mul(0.5f) + x * x.Square().Mul(-0.5f).Exp().Mul(InverseSqrtTwoPi));   // Φ(x) + x·φ(x)

    /// <summary>The composite of differentiable primitives that <see cref="Gelu"/> fuses: its test oracle.</summary>
    internal static Tensor GeluComposite(this Tensor x) => x * (x * InverseSqrtTwo).Erf().Add(1f) * 0.5f;

    /// <summary>output = x·Φ(x) when <paramref name="gradient"/> is empty, else gradient·(Φ(x) + x·φ(x)).</summary>
    /// <remarks>Never inlined: inlined into the backward closure at tier 1, the JIT's inlining budget ran out before
    /// <see cref="Elementary.Exp(Vector{float})"/>, which then ran as a call per vector (a profile of vit-d64-b64 showed
    /// the closure and Exp as frames of their own, 11 % of the step). Forward and backward are separate loops.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GeluKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gradient, Span<float> output)
    {
        if (gradient.IsEmpty) GeluForwardKernel(x, output);
        else GeluBackwardKernel(x, gradient, output);
    }

    private static void GeluForwardKernel(ReadOnlySpan<float> x, Span<float> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                (v * NormalCdfAndDensity(v).Cdf).CopyTo(output[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            // The same arithmetic one lane wide, so a tail element gets the value it would get in a full vector.
            var (cdf, _) = NormalCdfAndDensity(new Vector<float>(x[i]));
            output[i] = x[i] * cdf[0];
        }
    }

    private static void GeluBackwardKernel(ReadOnlySpan<float> x, ReadOnlySpan<float> gradient, Span<float> output)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                var (cdf, density) = NormalCdfAndDensity(v);
                (new Vector<float>(gradient[i..]) * (cdf + v * density)).CopyTo(output[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            var (cdf, density) = NormalCdfAndDensity(new Vector<float>(x[i]));
            output[i] = gradient[i] * (cdf[0] + x[i] * density[0]);
        }
    }

    /// <summary>Φ(x) and φ(x) of the standard normal, through erfc(|z|) ≈ (a₁t + … + a₅t⁵)·e^(−z²), t = 1/(1 + p|z|), z = x/√2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> Cdf, Vector<float> Density) NormalCdfAndDensity(Vector<float> x)
    {
        var z = Vector.Abs(x) * new Vector<float>(InverseSqrtTwo);
        var t = Vector<float>.One / (Vector<float>.One + new Vector<float>(0.3275911f) * z);
        var polynomial = new Vector<float>(1.061405429f);
        polynomial = polynomial * t + new Vector<float>(-1.453152027f);
        polynomial = polynomial * t + new Vector<float>(1.421413741f);
        polynomial = polynomial * t + new Vector<float>(-0.284496736f);
        polynomial = polynomial * t + new Vector<float>(0.254829592f);
        polynomial *= t;
        var gaussian = Elementary.Exp(-(z * z));   // e^(−x²/2)
        // Φ(−|x|) = ½·erfc(|z|) directly, not ½(1 − erf): no cancellation in the lower tail.
        var lowerTail = new Vector<float>(0.5f) * polynomial * gaussian;
        var cdf = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), lowerTail, Vector<float>.One - lowerTail);
        return (cdf, gaussian * new Vector<float>(InverseSqrtTwoPi));
    }
}
