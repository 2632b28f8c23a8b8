using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>1 where a &gt; b, else 0 (broadcasting); a constant mask, no gradient.</summary>
    public static Tensor Gt(this Tensor a, Tensor b) => Compare(a, b, (x, y) => x > y, nameof(Gt));

    /// <summary>1 where a ≥ b, else 0 (broadcasting).</summary>
    public static Tensor Ge(this Tensor a, Tensor b) => Compare(a, b, (x, y) => x >= y, nameof(Ge));

    /// <summary>1 where a &lt; b, else 0 (broadcasting).</summary>
    public static Tensor Lt(this Tensor a, Tensor b) => Compare(a, b, (x, y) => x < y, nameof(Lt));

    /// <summary>1 where a ≤ b, else 0 (broadcasting).</summary>
    public static Tensor Le(this Tensor a, Tensor b) => Compare(a, b, (x, y) => x <= y, nameof(Le));

    /// <summary>1 where a = b, else 0 (broadcasting).</summary>
    public static Tensor Eq(this Tensor a, Tensor b) => Compare(a, b, (x, y) => x == y, nameof(Eq));

    /// <summary>1 where x &gt; c, else 0.</summary>
    public static Tensor Gt(this Tensor x, float c) => Compare(x, v => v > c);

    /// <summary>1 where x ≥ c, else 0.</summary>
    public static Tensor Ge(this Tensor x, float c) => Compare(x, v => v >= c);

    /// <summary>1 where x &lt; c, else 0.</summary>
    public static Tensor Lt(this Tensor x, float c) => Compare(x, v => v < c);

    /// <summary>1 where x ≤ c, else 0.</summary>
    public static Tensor Le(this Tensor x, float c) => Compare(x, v => v <= c);

    /// <summary>1 where x = c, else 0.</summary>
    public static Tensor Eq(this Tensor x, float c) => Compare(x, v => v == c);

    /// <summary>a where <paramref name="condition"/> is non-zero, else b (all three broadcast); gradients flow to the chosen side only.</summary>
    public static Tensor Where(this Tensor condition, Tensor a, Tensor b)
    {
        var shape = Shape.Broadcast(Shape.Broadcast(condition.Shape, a.Shape, nameof(Where)), b.Shape, nameof(Where));
        var c = Broadcast.Expand(condition, shape);
        var av = Broadcast.Expand(a, shape);
        var bv = Broadcast.Expand(b, shape);
        var y = Tensor.Uninitialized(shape);
        var dst = y.Span;
        for (int i = 0; i < dst.Length; i++) dst[i] = c[i] != 0f ? av[i] : bv[i];
        return Autograd.Record(y, [condition, a, b], dy =>
        {
            var zero = Tensor.Zeros(Shape.Scalar);
            return [null, condition.Where(dy, zero).SumTo(a.Shape), condition.Where(zero, dy).SumTo(b.Shape)];
        });
    }

    private static Tensor Compare(Tensor a, Tensor b, Func<float, float, bool> predicate, string op)
    {
        var shape = Shape.Broadcast(a.Shape, b.Shape, op);
        var av = Broadcast.Expand(a, shape);
        var bv = Broadcast.Expand(b, shape);
        var y = Tensor.Uninitialized(shape);
        var dst = y.Span;
        for (int i = 0; i < dst.Length; i++) dst[i] = predicate(av[i], bv[i]) ? 1f : 0f;
        return y;
    }

    private static Tensor Compare(Tensor x, Func<float, bool> predicate)
    {
        var y = Tensor.Uninitialized(x.Shape);
        var src = x.Span;
        var dst = y.Span;
        for (int i = 0; i < src.Length; i++) dst[i] = predicate(src[i]) ? 1f : 0f;
        return y;
    }
}
