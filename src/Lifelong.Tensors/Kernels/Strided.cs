namespace Lifelong.Tensors.Kernels;

/// <summary>Copies between row-major layouts: broadcasting (stride 0), permutation (permuted strides).</summary>
internal static class Strided
{
    /// <summary>dst (contiguous, <paramref name="dims"/>) ← src read at Σ index[i]·srcStrides[i].</summary>
    public static void Copy(ReadOnlySpan<float> src, ReadOnlySpan<int> srcStrides, Span<float> dst, ReadOnlySpan<int> dims)
    {
        int rank = dims.Length;
        if (rank == 0)
        {
            dst[0] = src[0];
            return;
        }
        int inner = dims[rank - 1];
        int innerStride = srcStrides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int rows = dst.Length / Math.Max(inner, 1);
        int srcOffset = 0;
        for (int row = 0; row < rows; row++)
        {
            var dstRow = dst.Slice(row * inner, inner);
            if (innerStride == 1) src.Slice(srcOffset, inner).CopyTo(dstRow);
            else if (innerStride == 0) dstRow.Fill(src[srcOffset]);
            else for (int j = 0; j < inner; j++) dstRow[j] = src[srcOffset + j * innerStride];

            // Advance the multi-index over the outer dims (odometer), keeping srcOffset in step.
            for (int axis = rank - 2; axis >= 0; axis--)
            {
                index[axis]++;
                srcOffset += srcStrides[axis];
                if (index[axis] < dims[axis]) break;
                srcOffset -= srcStrides[axis] * dims[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>Strides for reading <paramref name="from"/> as if broadcast to <paramref name="to"/> (0 on broadcast axes).</summary>
    public static int[] BroadcastStrides(Shape from, Shape to)
    {
        var strides = new int[to.Rank];
        var own = from.Strides();
        int offset = to.Rank - from.Rank;
        for (int i = 0; i < from.Rank; i++)
            strides[i + offset] = from.Dims[i] == 1 && to.Dims[i + offset] != 1 ? 0 : own[i];
        return strides;
    }

    /// <summary>Sums an (outer, r, inner) layout over its middle axis into (outer, inner).</summary>
    public static void SumAxis(ReadOnlySpan<float> src, Span<float> dst, int outer, int r, int inner)
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = Reductions.Sum(src.Slice(o * r, r));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            src.Slice(o * r * inner, inner).CopyTo(acc);
            for (int j = 1; j < r; j++)
                System.Numerics.Tensors.TensorPrimitives.Add(acc, src.Slice((o * r + j) * inner, inner), acc);
        }
    }

    /// <summary>Maximum of an (outer, r, inner) layout over its middle axis into (outer, inner).</summary>
    public static void MaxAxis(ReadOnlySpan<float> src, Span<float> dst, int outer, int r, int inner)
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = System.Numerics.Tensors.TensorPrimitives.Max(src.Slice(o * r, r));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            src.Slice(o * r * inner, inner).CopyTo(acc);
            for (int j = 1; j < r; j++)
                System.Numerics.Tensors.TensorPrimitives.Max(acc, src.Slice((o * r + j) * inner, inner), acc);
        }
    }
}
