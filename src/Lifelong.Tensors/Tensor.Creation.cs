namespace Lifelong.Tensors;

public partial class Tensor
{
    /// <summary>A tensor whose values are about to be overwritten (no zeroing cost).</summary>
    internal static Tensor Uninitialized(Shape shape) => new(GC.AllocateUninitializedArray<float>(shape.Size), shape);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(Shape shape) => new(new float[shape.Size], shape);

    /// <summary>A tensor of zeros with the given dimensions.</summary>
    public static Tensor Zeros(params int[] dims) => Zeros(new Shape(dims));

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(Shape shape) => Full(shape, 1f);

    /// <summary>A tensor of ones with the given dimensions.</summary>
    public static Tensor Ones(params int[] dims) => Ones(new Shape(dims));

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value)
    {
        var t = Uninitialized(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => new([value], Shape.Scalar);

    /// <summary>Zeros shaped like <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => Zeros(other.Shape);

    /// <summary>Ones shaped like <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => Ones(other.Shape);

    /// <summary>0, 1, ..., <paramref name="count"/>−1 as a vector.</summary>
    public static Tensor Arange(int count) => Arange(0f, count, 1f);

    /// <summary>start, start+step, ... up to but excluding <paramref name="end"/>, as PyTorch's arange.</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0f) throw new ArgumentException("Arange: step must not be zero.", nameof(step));
        int count = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var t = Uninitialized(new Shape(count));
        for (int i = 0; i < count; i++) t._storage[i] = start + i * step;
        return t;
    }

    /// <summary>Wraps <paramref name="data"/> (taken as storage, not copied) with the given dimensions; no dimensions means a vector.</summary>
    public static Tensor FromArray(float[] data, params int[] dims) =>
        new(data, dims.Length == 0 ? new Shape(data.Length) : new Shape(dims));

    /// <summary>A tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, Shape shape) => new(data.ToArray(), shape);

    /// <summary>A matrix from a rectangular 2-D array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        int rows = data.GetLength(0), cols = data.GetLength(1);
        var t = Uninitialized(new Shape(rows, cols));
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                t._storage[i * cols + j] = data[i, j];
        return t;
    }

    /// <summary>Samples from U[<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Shape shape, float low, float high, Rng rng)
    {
        var t = Uninitialized(shape);
        rng.FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>Samples from N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor Normal(Shape shape, float mean, float std, Rng rng)
    {
        var t = Uninitialized(shape);
        rng.FillNormal(t.Span, mean, std);
        return t;
    }
}
