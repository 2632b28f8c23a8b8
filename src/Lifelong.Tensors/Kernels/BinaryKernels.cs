using System.Numerics.Tensors;

namespace Lifelong.Tensors.Kernels;

/// <summary>An elementwise binary operator in its three span forms (tensor∘tensor, tensor∘scalar, scalar∘tensor).</summary>
internal interface IBinaryKernel
{
    static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d);
    static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> d);
    static abstract void Apply(float x, ReadOnlySpan<float> y, Span<float> d);
}

internal readonly struct AddKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Add(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(y, x, d);
}

internal readonly struct SubtractKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
}

internal readonly struct MultiplyKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(y, x, d);
}

internal readonly struct DivideKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Divide(x, y, d);
}

internal readonly struct MaximumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Max(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Max(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Max(y, x, d);
}

internal readonly struct MinimumKernel : IBinaryKernel
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Min(x, y, d);
    public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Min(x, y, d);
    public static void Apply(float x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Min(y, x, d);
}

/// <summary>The broadcasting driver shared by every binary op.</summary>
internal static class Broadcast
{
    /// <summary>out = a ∘ b with NumPy broadcasting; fast paths for equal shapes, scalars and trailing-dim (bias) or last-dim-1 (keepdim) operands.</summary>
    public static Tensor Binary<TKernel>(Tensor a, Tensor b, string op) where TKernel : IBinaryKernel
    {
        var shape = Shape.Broadcast(a.Shape, b.Shape, op);
        var y = Tensor.Uninitialized(shape);
        var dst = y.Span;
        if (a.Shape == b.Shape) TKernel.Apply(a.Span, b.Span, dst);
        else if (b.Size == 1 && a.Size == y.Size) TKernel.Apply(a.Span, b.Span[0], dst);
        else if (a.Size == 1 && b.Size == y.Size) TKernel.Apply(a.Span[0], b.Span, dst);
        else if (a.Size == y.Size && IsTrailing(b.Shape, shape)) Rows<TKernel>(a.Span, b.Span, dst, rightIsRow: true);
        else if (b.Size == y.Size && IsTrailing(a.Shape, shape)) Rows<TKernel>(b.Span, a.Span, dst, rightIsRow: false);
        else if (a.Size == y.Size && IsColumn(b.Shape, shape)) Columns<TKernel>(a.Span, b.Span, dst, shape[-1], scalarOnRight: true);
        else if (b.Size == y.Size && IsColumn(a.Shape, shape)) Columns<TKernel>(b.Span, a.Span, dst, shape[-1], scalarOnRight: false);
        else TKernel.Apply(Expand(a, shape), Expand(b, shape), dst);
        return y;
    }

    /// <summary>The values of <paramref name="x"/> broadcast to <paramref name="shape"/>, materialized.</summary>
    public static ReadOnlySpan<float> Expand(Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x.Span;
        var dst = new float[shape.Size];
        Strided.Copy(x.Span, Strided.BroadcastStrides(x.Shape, shape), dst, shape.Dims);
        return dst;
    }

    /// <summary>True when <paramref name="small"/>, left-padded with ones, is 1 on a prefix of dims and equal to <paramref name="full"/> after it.</summary>
    private static bool IsTrailing(Shape small, Shape full)
    {
        int offset = full.Rank - small.Rank, i = 0;
        while (i < small.Rank && small.Dims[i] == 1 && full.Dims[i + offset] != 1) i++;
        for (; i < small.Rank; i++)
            if (small.Dims[i] != full.Dims[i + offset]) return false;
        return small.Size > 1;
    }

    /// <summary>True when <paramref name="small"/> equals <paramref name="full"/> except for a last dim of 1.</summary>
    private static bool IsColumn(Shape small, Shape full)
    {
        if (small.Rank != full.Rank || small.Rank == 0 || small.Dims[^1] != 1) return false;
        for (int i = 0; i < small.Rank - 1; i++)
            if (small.Dims[i] != full.Dims[i]) return false;
        return true;
    }

    private static void Rows<TKernel>(ReadOnlySpan<float> full, ReadOnlySpan<float> row, Span<float> dst, bool rightIsRow) where TKernel : IBinaryKernel
    {
        int n = row.Length;
        for (int offset = 0; offset < dst.Length; offset += n)
        {
            if (rightIsRow) TKernel.Apply(full.Slice(offset, n), row, dst.Slice(offset, n));
            else TKernel.Apply(row, full.Slice(offset, n), dst.Slice(offset, n));
        }
    }

    private static void Columns<TKernel>(ReadOnlySpan<float> full, ReadOnlySpan<float> column, Span<float> dst, int width, bool scalarOnRight) where TKernel : IBinaryKernel
    {
        for (int r = 0; r < column.Length; r++)
        {
            var source = full.Slice(r * width, width);
            if (scalarOnRight) TKernel.Apply(source, column[r], dst.Slice(r * width, width));
            else TKernel.Apply(column[r], source, dst.Slice(r * width, width));
        }
    }
}
