using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>The same values with new dimensions (one may be −1, inferred); shares storage.</summary>
    public static Tensor Reshape(this Tensor x, params int[] dims) => x.Reshape(InferShape(x, dims));

    /// <summary>The same values with a new shape of equal size; shares storage.</summary>
    public static Tensor Reshape(this Tensor x, Shape shape)
    {
        if (shape == x.Shape) return x;
        if (shape.Size != x.Size) throw new ArgumentException($"Reshape: cannot view shape {x.Shape} ({x.Size} elements) as {shape} ({shape.Size} elements).");
        var y = new Tensor(x.Storage, shape);
        return Autograd.Record(y, [x], dy => [dy.Reshape(x.Shape)]);
    }

    internal static Tensor ReshapeNoGrad(this Tensor x, Shape shape) => new(x.Storage, shape);

    /// <summary>Flattens dims from <paramref name="startAxis"/> on into one, e.g. (N, C, H, W) → (N, C·H·W).</summary>
    public static Tensor Flatten(this Tensor x, int startAxis = 1)
    {
        int start = Shape.NormalizeAxis(startAxis, x.Rank, nameof(Flatten));
        var dims = new int[start + 1];
        for (int i = 0; i < start; i++) dims[i] = x.Shape.Dims[i];
        dims[start] = x.Shape.SizeOf(start, x.Rank);
        return x.Reshape(Shape.Wrap(dims));
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="axis"/>.</summary>
    public static Tensor Unsqueeze(this Tensor x, int axis)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank + 1, nameof(Unsqueeze));
        var dims = new List<int>(x.Shape.ToArray());
        dims.Insert(a, 1);
        return x.Reshape(Shape.Wrap([.. dims]));
    }

    /// <summary>Removes the size-1 dimension at <paramref name="axis"/>.</summary>
    public static Tensor Squeeze(this Tensor x, int axis)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(Squeeze));
        if (x.Shape.Dims[a] != 1) throw new ArgumentException($"Squeeze: axis {axis} of shape {x.Shape} has size {x.Shape.Dims[a]}, not 1.");
        var dims = new List<int>(x.Shape.ToArray());
        dims.RemoveAt(a);
        return x.Reshape(Shape.Wrap([.. dims]));
    }

    /// <summary>Reorders the axes: output axis i is input axis <paramref name="axes"/>[i] (copies).</summary>
    public static Tensor Permute(this Tensor x, params int[] axes)
    {
        if (axes.Length != x.Rank) throw new ArgumentException($"Permute: {axes.Length} axes given for shape {x.Shape}.");
        var perm = new int[axes.Length];
        var seen = new bool[axes.Length];
        for (int i = 0; i < axes.Length; i++)
        {
            perm[i] = Shape.NormalizeAxis(axes[i], x.Rank, nameof(Permute));
            if (seen[perm[i]]) throw new ArgumentException($"Permute: ({string.Join(", ", axes)}) is not a permutation of the axes of {x.Shape}.");
            seen[perm[i]] = true;
        }
        var strides = x.Shape.Strides();
        var dims = new int[x.Rank];
        var srcStrides = new int[x.Rank];
        var inverse = new int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            dims[i] = x.Shape.Dims[perm[i]];
            srcStrides[i] = strides[perm[i]];
            inverse[perm[i]] = i;
        }
        var y = Tensor.Uninitialized(Shape.Wrap(dims));
        if (y.Size > 0) Strided.Copy(x.Span, srcStrides, y.Span, dims);
        return Autograd.Record(y, [x], dy => [dy.Permute(inverse)]);
    }

    /// <summary>Swaps two axes (copies); for matrices prefer the transpose flags of <see cref="MatMul"/>.</summary>
    public static Tensor Transpose(this Tensor x, int axis0 = -2, int axis1 = -1)
    {
        var perm = new int[x.Rank];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        int a = Shape.NormalizeAxis(axis0, x.Rank, nameof(Transpose)), b = Shape.NormalizeAxis(axis1, x.Rank, nameof(Transpose));
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return x.Permute(perm);
    }

    /// <summary>Elements [start, start + length) along <paramref name="axis"/> (PyTorch's narrow; copies).</summary>
    public static Tensor Slice(this Tensor x, int axis, int start, int length)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(Slice));
        int size = x.Shape.Dims[a];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, {start + length}) is out of range for axis {axis} of size {size} (shape {x.Shape}).");
        int outer = x.Shape.SizeOf(0, a), inner = x.Shape.SizeOf(a + 1, x.Rank);
        var dims = x.Shape.ToArray();
        dims[a] = length;
        var y = Tensor.Uninitialized(Shape.Wrap(dims));
        var src = x.Span;
        var dst = y.Span;
        for (int o = 0; o < outer; o++)
            src.Slice((o * size + start) * inner, length * inner).CopyTo(dst.Slice(o * length * inner, length * inner));
        return Autograd.Record(y, [x], dy => [dy.PadSlice(x.Shape, a, start)]);
    }

    /// <summary>The sub-tensor at <paramref name="index"/> along <paramref name="axis"/>, that axis removed.</summary>
    public static Tensor Select(this Tensor x, int axis, int index) => x.Slice(axis, index, 1).Squeeze(axis);

    /// <summary>Embeds <paramref name="x"/> in zeros of <paramref name="shape"/> at offset <paramref name="start"/> along <paramref name="axis"/>: the adjoint of <see cref="Slice"/>.</summary>
    public static Tensor PadSlice(this Tensor x, Shape shape, int axis, int start)
    {
        int a = Shape.NormalizeAxis(axis, shape.Rank, nameof(PadSlice));
        int size = shape.Dims[a], length = x.Shape.Dims[a];
        int outer = shape.SizeOf(0, a), inner = shape.SizeOf(a + 1, shape.Rank);
        var y = Tensor.Zeros(shape);
        var src = x.Span;
        var dst = y.Span;
        for (int o = 0; o < outer; o++)
            src.Slice(o * length * inner, length * inner).CopyTo(dst.Slice((o * size + start) * inner, length * inner));
        return Autograd.Record(y, [x], dy => [dy.Slice(a, start, length)]);
    }

    /// <summary>Joins tensors along <paramref name="axis"/>; all other dims must match.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis)
    {
        if (tensors.Count == 0) throw new ArgumentException("Concat: no tensors given.");
        var first = tensors[0];
        int a = Shape.NormalizeAxis(axis, first.Rank, nameof(Concat));
        var dims = first.Shape.ToArray();
        dims[a] = 0;
        foreach (var t in tensors)
        {
            if (t.Rank != first.Rank) throw new ArgumentException($"Concat: shapes {first.Shape} and {t.Shape} differ in rank.");
            for (int i = 0; i < t.Rank; i++)
                if (i != a && t.Shape.Dims[i] != first.Shape.Dims[i]) throw new ArgumentException($"Concat: shapes {first.Shape} and {t.Shape} differ outside axis {axis}.");
            dims[a] += t.Shape.Dims[a];
        }
        int outer = first.Shape.SizeOf(0, a), inner = first.Shape.SizeOf(a + 1, first.Rank);
        var y = Tensor.Uninitialized(Shape.Wrap(dims));
        var dst = y.Span;
        var offsets = new int[tensors.Count];
        int offset = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            offsets[k] = offset;
            int length = tensors[k].Shape.Dims[a];
            var src = tensors[k].Span;
            for (int o = 0; o < outer; o++)
                src.Slice(o * length * inner, length * inner).CopyTo(dst.Slice((o * dims[a] + offset) * inner, length * inner));
            offset += length;
        }
        var inputs = tensors.ToArray();
        return Autograd.Record(y, inputs, dy =>
        {
            var grads = new Tensor?[inputs.Length];
            for (int k = 0; k < inputs.Length; k++)
                if (inputs[k].RequiresGrad) grads[k] = dy.Slice(a, offsets[k], inputs[k].Shape.Dims[a]);
            return grads;
        });
    }

    /// <summary>Stacks equal-shaped tensors along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("Stack: no tensors given.");
        foreach (var t in tensors)
            if (t.Shape != tensors[0].Shape) throw new ArgumentException($"Stack: shapes {tensors[0].Shape} and {t.Shape} differ.");
        int a = Shape.NormalizeAxis(axis, tensors[0].Rank + 1, nameof(Stack));
        return Concat([.. tensors.Select(t => t.Unsqueeze(a))], a);
    }

    private static Shape InferShape(Tensor x, int[] dims)
    {
        int infer = -1, known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"Reshape: only one dimension may be −1, got ({string.Join(", ", dims)}).");
                infer = i;
            }
            else if (dims[i] < 0) throw new ArgumentException($"Reshape: invalid dimension {dims[i]} in ({string.Join(", ", dims)}).");
            else known *= dims[i];
        }
        var resolved = (int[])dims.Clone();
        if (infer >= 0)
        {
            if (known == 0 || x.Size % known != 0)
                throw new ArgumentException($"Reshape: cannot view shape {x.Shape} ({x.Size} elements) as ({string.Join(", ", dims)}).");
            resolved[infer] = x.Size / known;
        }
        return new Shape(resolved);
    }
}
