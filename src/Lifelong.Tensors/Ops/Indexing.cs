namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>y[i] = x.flat[indices[i]], or 0 where the index is −1; y has <paramref name="shape"/>.</summary>
    /// <remarks>The gather primitive behind max pooling, im2col and <see cref="Gather"/>; its adjoint is <see cref="ScatterAdd"/>.</remarks>
    public static Tensor Take(this Tensor x, int[] indices, Shape shape)
    {
        if (indices.Length != shape.Size) throw new ArgumentException($"Take: {indices.Length} indices cannot fill shape {shape}.");
        var y = Tensor.Uninitialized(shape);
        var src = x.Span;
        var dst = y.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int ix = indices[i];
            if ((uint)ix < (uint)src.Length) dst[i] = src[ix];
            else if (ix == -1) dst[i] = 0f;
            else throw new IndexOutOfRangeException($"Take: index {ix} is out of range for a tensor of {src.Length} elements (shape {x.Shape}).");
        }
        return Autograd.Record(y, [x], dy => [dy.ScatterAdd(indices, x.Shape)]);
    }

    /// <summary>Zeros of <paramref name="shape"/> with x[i] added at flat position indices[i] (skipping −1): the adjoint of <see cref="Take"/>.</summary>
    public static Tensor ScatterAdd(this Tensor x, int[] indices, Shape shape)
    {
        if (indices.Length != x.Size) throw new ArgumentException($"ScatterAdd: {indices.Length} indices for {x.Size} values (shape {x.Shape}).");
        var y = Tensor.Zeros(shape);
        var src = x.Span;
        var dst = y.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            int ix = indices[i];
            if ((uint)ix < (uint)dst.Length) dst[ix] += src[i];
            else if (ix != -1) throw new IndexOutOfRangeException($"ScatterAdd: index {ix} is out of range for shape {shape}.");
        }
        return Autograd.Record(y, [x], dy => [dy.Take(indices, x.Shape)]);
    }

    /// <summary>The slices at <paramref name="indices"/> along <paramref name="axis"/> (PyTorch's index_select); repeats allowed.</summary>
    public static Tensor IndexSelect(this Tensor x, int axis, int[] indices)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(IndexSelect));
        int size = x.Shape.Dims[a], outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var dims = x.Shape.ToArray();
        dims[a] = indices.Length;
        var y = Tensor.Uninitialized(Shape.Wrap(dims));
        var src = x.Span;
        var dst = y.Span;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < indices.Length; k++)
            {
                int ix = indices[k] < 0 ? indices[k] + size : indices[k];
                if ((uint)ix >= (uint)size) throw new IndexOutOfRangeException($"IndexSelect: index {indices[k]} is out of range for axis {axis} of size {size} (shape {x.Shape}).");
                src.Slice((o * size + ix) * inner, inner).CopyTo(dst.Slice((o * indices.Length + k) * inner, inner));
            }
        }
        return Autograd.Record(y, [x], dy => [dy.IndexAdd(a, indices, size)]);
    }

    /// <summary>Zeros with <paramref name="size"/> slices along <paramref name="axis"/>, slice k of x added at indices[k]: the adjoint of <see cref="IndexSelect"/>.</summary>
    public static Tensor IndexAdd(this Tensor x, int axis, int[] indices, int size)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(IndexAdd));
        if (x.Shape.Dims[a] != indices.Length) throw new ArgumentException($"IndexAdd: {indices.Length} indices for axis {axis} of size {x.Shape.Dims[a]} (shape {x.Shape}).");
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var dims = x.Shape.ToArray();
        dims[a] = size;
        var y = Tensor.Zeros(Shape.Wrap(dims));
        var src = x.Span;
        var dst = y.Span;
        for (int o = 0; o < outer; o++)
        {
            for (int k = 0; k < indices.Length; k++)
            {
                int ix = indices[k] < 0 ? indices[k] + size : indices[k];
                if ((uint)ix >= (uint)size) throw new IndexOutOfRangeException($"IndexAdd: index {indices[k]} is out of range for size {size}.");
                var row = dst.Slice((o * size + ix) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(row, src.Slice((o * indices.Length + k) * inner, inner), row);
            }
        }
        return Autograd.Record(y, [x], dy => [dy.IndexSelect(a, indices)]);
    }

    /// <summary>PyTorch's gather: y[..., j, ...] = x[..., index[..., j, ...], ...] along <paramref name="axis"/>; <paramref name="index"/> (row-major, shape <paramref name="indexShape"/>) matches x outside that axis.</summary>
    public static Tensor Gather(this Tensor x, int axis, int[] index, Shape indexShape)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(Gather));
        if (indexShape.Rank != x.Rank || index.Length != indexShape.Size)
            throw new ArgumentException($"Gather: index shape {indexShape} does not fit input shape {x.Shape}.");
        for (int i = 0; i < x.Rank; i++)
            if (i != a && indexShape.Dims[i] != x.Shape.Dims[i]) throw new ArgumentException($"Gather: index shape {indexShape} and input shape {x.Shape} differ outside axis {axis}.");
        int size = x.Shape.Dims[a], r = indexShape.Dims[a];
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var flat = new int[index.Length];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < r; k++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * r + k) * inner + i;
                    int ix = index[at];
                    if ((uint)ix >= (uint)size) throw new IndexOutOfRangeException($"Gather: index {ix} is out of range for axis {axis} of size {size}.");
                    flat[at] = (o * size + ix) * inner + i;
                }
        return x.Take(flat, indexShape);
    }
}
