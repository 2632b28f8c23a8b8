using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

/// <summary>Tensor ops, as extension methods: <c>x.Exp()</c>, <c>x.Sum(1)</c>, <c>a.MatMul(b)</c>.</summary>
/// <remarks>
/// Each op computes its forward with a kernel and records a backward rule written in tensor ops, so backward
/// passes are themselves differentiable. Binary ops broadcast as NumPy; their backward undoes the broadcast
/// with <see cref="SumTo"/>.
/// </remarks>
public static partial class TensorMath
{
    /// <summary>a + b, broadcasting.</summary>
    public static Tensor Add(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<AddKernel>(a, b, nameof(Add));
        return Autograd.Record(y, [a, b], dy => [dy.SumTo(a.Shape), dy.SumTo(b.Shape)]);
    }

    /// <summary>a − b, broadcasting.</summary>
    public static Tensor Sub(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<SubtractKernel>(a, b, nameof(Sub));
        return Autograd.Record(y, [a, b], dy => [dy.SumTo(a.Shape), dy.Neg().SumTo(b.Shape)]);
    }

    /// <summary>a ⊙ b, broadcasting.</summary>
    public static Tensor Mul(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<MultiplyKernel>(a, b, nameof(Mul));
        return Autograd.Record(y, [a, b], dy => [
            a.RequiresGrad ? (dy * b).SumTo(a.Shape) : null,
            b.RequiresGrad ? (dy * a).SumTo(b.Shape) : null]);   // d(ab) = b·da + a·db
    }

    /// <summary>a / b, broadcasting.</summary>
    public static Tensor Div(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<DivideKernel>(a, b, nameof(Div));
        return Autograd.Record(y, [a, b], dy => [
            a.RequiresGrad ? (dy / b).SumTo(a.Shape) : null,
            b.RequiresGrad ? (dy * a / (b * b)).Neg().SumTo(b.Shape) : null]);   // d(a/b) = da/b − a·db/b²
    }

    /// <summary>−x.</summary>
    public static Tensor Neg(this Tensor x)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Negate(x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [dy.Neg()]);
    }

    /// <summary>x + c.</summary>
    public static Tensor Add(this Tensor x, float c)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Add(x.Span, c, y.Span);
        return Autograd.Record(y, [x], dy => [dy]);
    }

    /// <summary>c·x.</summary>
    public static Tensor Mul(this Tensor x, float c)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Multiply(x.Span, c, y.Span);
        return Autograd.Record(y, [x], dy => [dy.Mul(c)]);
    }

    /// <summary>c / x.</summary>
    public static Tensor Reciprocal(this Tensor x, float c = 1f)
    {
        var y = Tensor.Uninitialized(x.Shape);
        TensorPrimitives.Divide(c, x.Span, y.Span);
        return Autograd.Record(y, [x], dy => [(dy * y / x).Neg()]);   // d(c/x) = −c/x² = −y/x
    }

    /// <summary>xᵖ for a constant exponent p.</summary>
    public static Tensor Pow(this Tensor x, float p)
    {
        if (p == 1f) return x.Mul(1f);
        var y = Tensor.Uninitialized(x.Shape);
        if (p == 2f) TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        else Elementary.Pow(x.Span, p, y.Span);
        return Autograd.Record(y, [x], dy => [dy * x.Pow(p - 1f).Mul(p)]);   // d xᵖ = p·xᵖ⁻¹
    }

    /// <summary>x².</summary>
    public static Tensor Square(this Tensor x) => x.Pow(2f);

    /// <summary>Elementwise maximum, broadcasting; where a = b the gradient goes to a.</summary>
    public static Tensor Maximum(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<MaximumKernel>(a, b, nameof(Maximum));
        return Autograd.Record(y, [a, b], dy =>
        {
            var pickA = a.Ge(b);
            return [(dy * pickA).SumTo(a.Shape), (dy * pickA.OneMinus()).SumTo(b.Shape)];
        });
    }

    /// <summary>Elementwise minimum, broadcasting; where a = b the gradient goes to a.</summary>
    public static Tensor Minimum(this Tensor a, Tensor b)
    {
        var y = Broadcast.Binary<MinimumKernel>(a, b, nameof(Minimum));
        return Autograd.Record(y, [a, b], dy =>
        {
            var pickA = a.Le(b);
            return [(dy * pickA).SumTo(a.Shape), (dy * pickA.OneMinus()).SumTo(b.Shape)];
        });
    }

    /// <summary>1 − m for a constant mask (no gradient).</summary>
    internal static Tensor OneMinus(this Tensor mask)
    {
        var y = Tensor.Uninitialized(mask.Shape);
        TensorPrimitives.Subtract(1f, mask.Span, y.Span);
        return y;
    }
}
