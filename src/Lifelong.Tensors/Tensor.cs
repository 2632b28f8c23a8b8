using System.Globalization;
using System.Text;

namespace Lifelong.Tensors;

/// <summary>A dense, row-major, contiguous float32 tensor with reverse-mode autograd.</summary>
/// <remarks>
/// Callers treat tensors as immutable: every op returns a new tensor. Only parameters change, in place, under
/// <see cref="Autograd.NoGrad"/> (optimizers, resets, merges). Reshape and detach share storage with their
/// source, so an in-place change to a parameter is seen through its views, as in PyTorch.
/// </remarks>
public partial class Tensor
{
    private readonly float[] _storage;

    /// <summary>Wraps <paramref name="storage"/> (taken, not copied) as a tensor of <paramref name="shape"/>.</summary>
    protected internal Tensor(float[] storage, Shape shape)
    {
        if (storage.Length != shape.Size)
            throw new ArgumentException($"Tensor: {storage.Length} values cannot fill shape {shape} ({shape.Size} elements).", nameof(storage));
        _storage = storage;
        Shape = shape;
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>Number of elements.</summary>
    public int Size => _storage.Length;

    /// <summary>The values, row-major. Writable only for in-place parameter updates under no-grad.</summary>
    public Span<float> Span => _storage;

    /// <summary>The underlying array (shared, not copied).</summary>
    internal float[] Storage => _storage;

    /// <summary>Whether gradients flow to (a leaf) or through (an op result) this tensor.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>; null before.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The op that produced this tensor, when it was recorded for autograd; null for leaves.</summary>
    internal GradNode? GradFn { get; set; }

    /// <summary>True when this tensor was not produced by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => Shape[axis];

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Item: the tensor has shape {Shape} ({Size} elements); only a one-element tensor has an item.");
        return _storage[0];
    }

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => (float[])_storage.Clone();

    /// <summary>The value at a full index (negative indices count from the end).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != Rank) throw new ArgumentException($"Indexer: {index.Length} indices for a tensor of shape {Shape}.");
            int flat = 0;
            for (int i = 0; i < Rank; i++)
            {
                int d = Shape.Dims[i];
                int ix = index[i] < 0 ? index[i] + d : index[i];
                if (ix < 0 || ix >= d) throw new IndexOutOfRangeException($"Indexer: index {index[i]} is out of range for dimension {i} of size {d} (shape {Shape}).");
                flat = flat * d + ix;
            }
            return _storage[flat];
        }
    }

    /// <summary>Reverse-mode autograd from this tensor into every leaf that requires grad, accumulating into <see cref="Grad"/>.</summary>
    /// <param name="gradient">d(objective)/d(this); may be omitted only for a one-element tensor (taken as 1).</param>
    /// <param name="createGraph">Record the backward pass so the resulting gradients can be differentiated again.</param>
    public void Backward(Tensor? gradient = null, bool createGraph = false) => Autograd.Backward(this, gradient, createGraph);

    /// <summary>The same values, cut from the graph (shares storage).</summary>
    public Tensor Detach() => new(_storage, Shape);

    /// <summary>An independent copy of the values, cut from the graph.</summary>
    public Tensor Clone() => new((float[])_storage.Clone(), Shape);

    /// <summary>Shape, leading values and autograd state, e.g. <c>Tensor(2, 3) [0.1, 0.2, ...] grad_fn=Mul</c>.</summary>
    public override string ToString()
    {
        const int shown = 8;
        var sb = new StringBuilder("Tensor").Append(Shape.Rank == 0 ? "()" : Shape.ToString().Replace(",)", ")", StringComparison.Ordinal)).Append(" [");
        for (int i = 0; i < Math.Min(shown, Size); i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_storage[i].ToString("G5", CultureInfo.InvariantCulture));
        }
        if (Size > shown) sb.Append(", ... (").Append(Size - shown).Append(" more)");
        sb.Append(']');
        if (GradFn is not null) sb.Append(" grad_fn=").Append(GradFn.Op);
        else if (RequiresGrad) sb.Append(" requires_grad");
        return sb.ToString();
    }
}
