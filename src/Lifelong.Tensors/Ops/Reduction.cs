using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Sum of all elements, as a scalar.</summary>
    public static Tensor Sum(this Tensor x)
    {
        var y = Tensor.Scalar(Reductions.Sum(x.Span));
        return Autograd.Record(y, [x], dy => [dy.Expand(x.Shape)]);
    }

    /// <summary>Sum over <paramref name="axes"/> (negative axes count from the end).</summary>
    public static Tensor Sum(this Tensor x, int[] axes, bool keepDim = false)
    {
        var (kept, reduced) = ReduceAxes(x, axes, nameof(Sum), Strided.SumAxis);
        var y = keepDim ? reduced : reduced.ReshapeNoGrad(DropAxes(x.Shape, kept));
        return Autograd.Record(y, [x], dy => [dy.Reshape(KeepAxes(x.Shape, kept)).Expand(x.Shape)]);
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(this Tensor x, int axis, bool keepDim = false) => x.Sum([axis], keepDim);

    /// <summary>Mean of all elements.</summary>
    public static Tensor Mean(this Tensor x) => x.Sum().Mul(1f / x.Size);

    /// <summary>Mean over <paramref name="axes"/>.</summary>
    public static Tensor Mean(this Tensor x, int[] axes, bool keepDim = false) =>
        x.Sum(axes, keepDim).Mul(1f / CountOver(x.Shape, axes, nameof(Mean)));

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(this Tensor x, int axis, bool keepDim = false) => x.Mean([axis], keepDim);

    /// <summary>Maximum over <paramref name="axes"/>; ties share the gradient equally (PyTorch's amax).</summary>
    public static Tensor Max(this Tensor x, int[] axes, bool keepDim = false)
    {
        var (kept, reduced) = ReduceAxes(x, axes, nameof(Max), Strided.MaxAxis);
        var y = keepDim ? reduced : reduced.ReshapeNoGrad(DropAxes(x.Shape, kept));
        return Autograd.Record(y, [x], dy =>
        {
            var winners = x.Eq(reduced);
            var share = winners / winners.Sum(kept, keepDim: true);
            return [dy.Reshape(KeepAxes(x.Shape, kept)) * share];
        });
    }

    /// <summary>Maximum over one axis.</summary>
    public static Tensor Max(this Tensor x, int axis, bool keepDim = false) => x.Max([axis], keepDim);

    /// <summary>Maximum of all elements, as a scalar.</summary>
    public static Tensor Max(this Tensor x) => x.Reshape(x.Size).Max(0);

    /// <summary>Minimum over <paramref name="axes"/>.</summary>
    public static Tensor Min(this Tensor x, int[] axes, bool keepDim = false) => x.Neg().Max(axes, keepDim).Neg();

    /// <summary>Minimum over one axis.</summary>
    public static Tensor Min(this Tensor x, int axis, bool keepDim = false) => x.Min([axis], keepDim);

    /// <summary>Index of the maximum along <paramref name="axis"/> (the first on ties), for every position of the other axes, row-major.</summary>
    public static int[] ArgMax(this Tensor x, int axis = -1)
    {
        int a = Shape.NormalizeAxis(axis, x.Rank, nameof(ArgMax));
        int outer = x.Shape.SizeOf(0, a), r = x.Shape.Dims[a], inner = x.Shape.SizeOf(a + 1, x.Rank);
        var result = new int[outer * inner];
        var src = x.Span;
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                result[o] = TensorPrimitives.IndexOfMax(src.Slice(o * r, r));
                continue;
            }
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                float bestValue = src[o * r * inner + i];
                for (int j = 1; j < r; j++)
                {
                    float v = src[(o * r + j) * inner + i];
                    if (v > bestValue || (float.IsNaN(v) && !float.IsNaN(bestValue))) (best, bestValue) = (j, v);
                }
                result[o * inner + i] = best;
            }
        }
        return result;
    }

    /// <summary>Variance over <paramref name="axes"/>: Σ(x − x̄)² / (N − correction); correction 1 (Bessel) is PyTorch's default, 0 the biased one.</summary>
    public static Tensor Var(this Tensor x, int[] axes, int correction = 1, bool keepDim = false)
    {
        int n = CountOver(x.Shape, axes, nameof(Var));
        var centered = x - x.Mean(axes, keepDim: true);
        return centered.Square().Sum(axes, keepDim).Mul(1f / Math.Max(n - correction, 0));
    }

    /// <summary>Variance over one axis.</summary>
    public static Tensor Var(this Tensor x, int axis, int correction = 1, bool keepDim = false) => x.Var([axis], correction, keepDim);

    /// <summary>log Σ exp(x) over <paramref name="axes"/>, computed stably as m + log Σ exp(x − m) with m the (constant) maximum.</summary>
    public static Tensor LogSumExp(this Tensor x, int[] axes, bool keepDim = false)
    {
        Tensor shift;
        using (Autograd.NoGrad())
        {
            shift = x.Max(axes, keepDim: true);
            var s = shift.Span;
            for (int i = 0; i < s.Length; i++) if (float.IsInfinity(s[i])) s[i] = 0f;   // all −∞ rows stay −∞, not NaN
        }
        var y = (x - shift).Exp().Sum(axes, keepDim: true).Log() + shift;
        return keepDim ? y : y.Reshape(DropAxes(x.Shape, NormalizeAxes(axes, x.Rank, nameof(LogSumExp))));
    }

    /// <summary>log Σ exp(x) over one axis.</summary>
    public static Tensor LogSumExp(this Tensor x, int axis, bool keepDim = false) => x.LogSumExp([axis], keepDim);

    /// <summary>Sums a broadcast result back to <paramref name="shape"/>: the adjoint of <see cref="Expand(Tensor, Shape)"/>.</summary>
    public static Tensor SumTo(this Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        int lead = x.Rank - shape.Rank;
        if (lead < 0) throw new ArgumentException($"SumTo: cannot sum shape {x.Shape} to the larger-rank shape {shape}.");
        var axes = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (i < lead) axes.Add(i);
            else if (shape.Dims[i - lead] == 1 && x.Shape.Dims[i] != 1) axes.Add(i);
            else if (shape.Dims[i - lead] != x.Shape.Dims[i])
                throw new ArgumentException($"SumTo: shape {x.Shape} does not broadcast from {shape}.");
        }
        return axes.Count == 0 ? x.Reshape(shape) : x.Sum([.. axes], keepDim: true).Reshape(shape);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (materialized); the adjoint of <see cref="SumTo(Tensor, Shape)"/>.</summary>
    public static Tensor Expand(this Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        var check = Shape.Broadcast(x.Shape, shape, nameof(Expand));
        if (check != shape) throw new ArgumentException($"Expand: shape {x.Shape} cannot be expanded to {shape}.");
        var y = Tensor.Uninitialized(shape);
        Strided.Copy(x.Span, Strided.BroadcastStrides(x.Shape, shape), y.Span, shape.Dims);
        return Autograd.Record(y, [x], dy => [dy.SumTo(x.Shape)]);
    }

    /// <summary>Broadcasts to the given dimensions.</summary>
    public static Tensor Expand(this Tensor x, params int[] dims) => x.Expand(new Shape(dims));

    private delegate void AxisReducer(ReadOnlySpan<float> src, Span<float> dst, int outer, int r, int inner);

    /// <summary>Reduces each axis in turn, keeping dims; returns the sorted axes and the keep-dim result.</summary>
    private static (int[] Axes, Tensor Result) ReduceAxes(Tensor x, int[] axes, string op, AxisReducer reduce)
    {
        var sorted = NormalizeAxes(axes, x.Rank, op);
        var dims = x.Shape.ToArray();
        float[] current = x.Storage;
        foreach (int a in sorted.Reverse())
        {
            int outer = 1, inner = 1;
            for (int i = 0; i < a; i++) outer *= dims[i];
            for (int i = a + 1; i < dims.Length; i++) inner *= dims[i];
            if (dims[a] == 0) throw new ArgumentException($"{op}: cannot reduce over axis {a} of size 0 (shape {x.Shape}).");
            var next = new float[outer * inner];
            reduce(current, next, outer, dims[a], inner);
            dims[a] = 1;
            current = next;
        }
        if (ReferenceEquals(current, x.Storage)) current = (float[])current.Clone();
        return (sorted, new Tensor(current, Shape.Wrap(dims)));
    }

    private static int[] NormalizeAxes(int[] axes, int rank, string op)
    {
        var set = new SortedSet<int>();
        foreach (int a in axes)
            if (!set.Add(Shape.NormalizeAxis(a, rank, op))) throw new ArgumentException($"{op}: axis {a} is repeated.");
        return [.. set];
    }

    private static int CountOver(Shape shape, int[] axes, string op)
    {
        int n = 1;
        foreach (int a in NormalizeAxes(axes, shape.Rank, op)) n *= shape.Dims[a];
        return n;
    }

    private static Shape KeepAxes(Shape shape, int[] axes)
    {
        var dims = shape.ToArray();
        foreach (int a in axes) dims[a] = 1;
        return Shape.Wrap(dims);
    }

    private static Shape DropAxes(Shape shape, int[] axes)
    {
        var dims = new List<int>();
        for (int i = 0; i < shape.Rank; i++)
            if (Array.IndexOf(axes, i) < 0) dims.Add(shape.Dims[i]);
        return Shape.Wrap([.. dims]);
    }
}
