using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Matrix product op(a)·op(b), batched over leading dims (which broadcast), as PyTorch's matmul.</summary>
    /// <param name="a">(..., m, k), or (..., k, m) with <paramref name="transposeA"/>; a vector is taken as a row.</param>
    /// <param name="b">(..., k, n), or (..., n, k) with <paramref name="transposeB"/>; a vector is taken as a column.</param>
    /// <param name="transposeA">Use aᵀ over the last two dims; absorbed by the GEMM, nothing is copied.</param>
    /// <param name="transposeB">Use bᵀ over the last two dims.</param>
    /// <returns>(..., m, n); vector operands drop their dim from the result.</returns>
    public static Tensor MatMul(this Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank == 0 || b.Rank == 0) throw new ArgumentException($"MatMul: operands must have rank ≥ 1, got shapes {a.Shape} and {b.Shape}.");
        if (a.Rank == 1) return a.Unsqueeze(0).MatMul(b, false, transposeB).Squeeze(-2);
        if (b.Rank == 1) return a.MatMul(b.Unsqueeze(1), transposeA, false).Squeeze(-1);

        int k = transposeA ? a.Shape[-2] : a.Shape[-1];
        int kb = transposeB ? b.Shape[-1] : b.Shape[-2];
        if (k != kb)
            throw new ArgumentException($"MatMul: inner dimensions differ: shapes {a.Shape}{(transposeA ? "ᵀ" : "")} and {b.Shape}{(transposeB ? "ᵀ" : "")} ({k} vs {kb}).");

        // Two matrices (every Linear layer, forward and backward): no batch dims to fold or broadcast.
        if (a.Rank == 2 && b.Rank == 2) return MatMulCore(a, b, transposeA, transposeB);

        // (B, m, k)·(k, n): fold the batch into the rows, one large GEMM.
        if (b.Rank == 2 && a.Rank > 2 && !transposeA)
        {
            var folded = MatMulCore(a.Reshape(-1, k), b, false, transposeB);
            var dims = a.Shape.ToArray();
            dims[^1] = folded.Shape[-1];
            return folded.Reshape(dims);
        }

        var batchA = new Shape(a.Shape.Dims[..^2].ToArray());
        var batchB = new Shape(b.Shape.Dims[..^2].ToArray());
        if (batchA != batchB)
        {
            var batch = Shape.Broadcast(batchA, batchB, nameof(MatMul));
            a = a.Expand(new Shape([.. batch.Dims, .. a.Shape.Dims[^2..]]));
            b = b.Expand(new Shape([.. batch.Dims, .. b.Shape.Dims[^2..]]));
        }
        return MatMulCore(a, b, transposeA, transposeB);
    }

    /// <summary>op(a)·op(b) for equal batch dims: the primitive, with the backward in the same primitive.</summary>
    private static Tensor MatMulCore(Tensor a, Tensor b, bool ta, bool tb)
    {
        int rows = a.Shape[-2], cols = a.Shape[-1];
        int m = ta ? cols : rows, k = ta ? rows : cols;
        int n = tb ? b.Shape[-2] : b.Shape[-1];
        int batches = a.Shape.SizeOf(0, a.Rank - 2);
        var dims = a.Shape.ToArray();
        dims[^2] = m;
        dims[^1] = n;
        var y = Tensor.Uninitialized(Shape.Wrap(dims));
        int aStride = m * k, bStride = k * n, yStride = m * n;
        for (int i = 0; i < batches; i++)
        {
            Gemm.Sgemm(ta, tb, m, n, k,
                a.Span.Slice(i * aStride, aStride), ta ? m : k,
                b.Span.Slice(i * bStride, bStride), tb ? k : n,
                y.Span.Slice(i * yStride, yStride), n, accumulate: false);
        }
        return Autograd.Record(y, [a, b], dy => (ta, tb) switch
        {
            (false, false) => [Need(a, () => MatMulCore(dy, b, false, true)), Need(b, () => MatMulCore(a, dy, true, false))],   // dA = dY·Bᵀ, dB = Aᵀ·dY
            (false, true) => [Need(a, () => MatMulCore(dy, b, false, false)), Need(b, () => MatMulCore(dy, a, true, false))],   // Y = A·Bᵀ: dA = dY·B, dB = dYᵀ·A
            (true, false) => [Need(a, () => MatMulCore(b, dy, false, true)), Need(b, () => MatMulCore(a, dy, false, false))],   // Y = Aᵀ·B: dA = B·dYᵀ, dB = A·dY
            (true, true) => [Need(a, () => MatMulCore(b, dy, true, true)), Need(b, () => MatMulCore(dy, a, true, true))],       // Y = Aᵀ·Bᵀ: dA = Bᵀ·dYᵀ, dB = dYᵀ·Aᵀ
        });
    }

    private static Tensor? Need(Tensor input, Func<Tensor> gradient) => input.RequiresGrad ? gradient() : null;
}
