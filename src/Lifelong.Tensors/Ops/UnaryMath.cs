using System.Numerics;
using Lifelong.Tensors.Kernels;
using System.Numerics.Tensors;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>eˣ.</summary>
    public static Tensor Exp(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        Elementary.Exp(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy * y]);   // d eˣ = eˣ
    }

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        Elementary.Log(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy / x]);   // d ln x = 1/x
    }

    /// <summary>√x.</summary>
    public static Tensor Sqrt(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Sqrt(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy / y.Mul(2f)]);   // d √x = 1/(2√x)
    }

    /// <summary>|x|; the gradient at 0 is 0, as PyTorch.</summary>
    public static Tensor Abs(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Abs(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy * x.Sign()]);   // d|x| = sign(x)
    }

    /// <summary>sign(x) ∈ {−1, 0, 1}; piecewise constant, so no gradient flows.</summary>
    public static Tensor Sign(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        ReadOnlySpan<float> src = x.Span;
        var dst = y.Span;
        int i = 0;
        // Branch-free: random signs (L1 Init's θ − θ₀) made the branchy loop mispredict on every other element.
        if (Vector.IsHardwareAccelerated)
            for (; i <= src.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(src[i..]);
                var positive = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
                var negative = Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
                (positive - negative).CopyTo(dst[i..]);
            }
        for (; i < src.Length; i++) dst[i] = src[i] > 0f ? 1f : src[i] < 0f ? -1f : 0f;
        return y;
    }

    /// <summary>tanh x.</summary>
    public static Tensor Tanh(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        Elementary.Tanh(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy * (1f - y * y)]);   // d tanh = 1 − tanh²
    }

    /// <summary>σ(x) = 1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        Elementary.Sigmoid(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy * y * (1f - y)]);   // dσ = σ(1 − σ)
    }

    /// <summary>max(x, 0); the gradient at 0 is 0, as PyTorch.</summary>
    public static Tensor Relu(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        ParallelElementwise.Relu(x.Span, y.Span);
        // d relu = 1[x > 0]; one kernel unless the backward is itself recorded (second order), where the mask product is.
        return Autograd.Record(y, [x], dy => [Autograd.IsGradEnabled ? dy * x.Gt(0f) : ReluBackward(x, dy)]);
    }

    /// <summary>dy ⊙ 1[x &gt; 0], vectorized, with the same products as the composite (so −0 stays where dy &lt; 0 is masked).</summary>
    private static Tensor ReluBackward(Tensor x, Tensor dy)
    {
        var dx = Tensor.Uninitialized(x.Shape);
        ParallelElementwise.ReluBackward(x.Span, dy.Span, dx.Span);
        return dx;
    }

    /// <summary>The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt.</summary>
    public static Tensor Erf(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        var src = x.Span;
        var dst = y.Span;
        for (int i = 0; i < src.Length; i++) dst[i] = (float)SpecialFunctions.Erf(src[i]);
        return Autograd.Record(y, [x], dy => [dy * x.Square().Neg().Exp().Mul(2f / MathF.Sqrt(MathF.PI))]);   // d erf = 2/√π·e^(−x²)
    }

    /// <summary>x clamped to [min, max]; the gradient is 1 inside the interval (ends included) and 0 outside.</summary>
    public static Tensor Clamp(this Tensor x, float min = float.NegativeInfinity, float max = float.PositiveInfinity)
    {
        if (min > max) throw new ArgumentException($"Clamp: min {min} is greater than max {max}.");
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Clamp(x.Span, min, max, y.Span);
        return Autograd.Record(y, [x], dy => [dy * x.Ge(min) * x.Le(max)]);
    }
}
