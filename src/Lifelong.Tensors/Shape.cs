using System.Text;

namespace Lifelong.Tensors;

/// <summary>The dimensions of a tensor, outermost first (row-major). Immutable.</summary>
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int[]? _dims;

    /// <summary>Creates a shape; every dimension must be non-negative.</summary>
    public Shape(params int[] dims)
    {
        foreach (int d in dims)
            if (d < 0) throw new ArgumentException($"Shape: dimensions must be non-negative, got ({string.Join(", ", dims)}).", nameof(dims));
        _dims = (int[])dims.Clone();
    }

    private Shape(int[] dims, bool _) => _dims = dims;

    internal static Shape Wrap(int[] dims) => new(dims, true);

    /// <summary>The shape of a scalar: rank 0, one element.</summary>
    public static Shape Scalar { get; } = Wrap([]);

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims?.Length ?? 0;

    /// <summary>Number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public int Size
    {
        get
        {
            long size = 1;
            foreach (int d in Dims) size *= d;
            return checked((int)size);
        }
    }

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<int> Dims => _dims ?? [];

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end (−1 is the last).</summary>
    public int this[int axis] => Dims[NormalizeAxis(axis, Rank, "Shape")];

    /// <summary>A copy of the dimensions as an array.</summary>
    public int[] ToArray() => Dims.ToArray();

    /// <summary>Row-major strides in elements.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        int s = 1;
        for (int i = Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Dims[i];
        }
        return strides;
    }

    /// <summary>Product of the dimensions in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public int SizeOf(int start, int end)
    {
        int size = 1;
        for (int i = start; i < end; i++) size *= Dims[i];
        return size;
    }

    /// <summary>Resolves a possibly negative axis against <paramref name="rank"/>, naming <paramref name="op"/> in the error.</summary>
    public static int NormalizeAxis(int axis, int rank, string op)
    {
        int resolved = axis < 0 ? axis + rank : axis;
        if (resolved < 0 || resolved >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"{op}: axis {axis} is out of range for a tensor of rank {rank}.");
        return resolved;
    }

    /// <summary>The NumPy/PyTorch broadcast of two shapes: dimensions aligned from the right, each pair equal or one of them 1.</summary>
    public static Shape Broadcast(Shape a, Shape b, string op)
    {
        if (a == b) return a;
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Rank ? 1 : a.Dims[i - (rank - a.Rank)];
            int db = i < rank - b.Rank ? 1 : b.Dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {a} and {b} cannot be broadcast together (dimension {i} is {da} vs {db}).");
            dims[i] = da == 1 ? db : da;
        }
        return Wrap(dims);
    }

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in Dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Equal dimensions.</summary>
    public static bool operator ==(Shape left, Shape right) => left.Equals(right);

    /// <summary>Different dimensions.</summary>
    public static bool operator !=(Shape left, Shape right) => !left.Equals(right);

    /// <summary>PyTorch-style text, e.g. <c>(2, 3)</c>; a scalar is <c>()</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < Rank; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Dims[i]);
        }
        if (Rank == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }
}
