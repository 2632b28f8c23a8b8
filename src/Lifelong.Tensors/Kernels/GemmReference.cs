namespace Lifelong.Tensors.Kernels;

/// <summary>The naive triple-loop SGEMM: the test oracle for <see cref="Gemm"/> and its path for tiny shapes.</summary>
/// <remarks>
/// C (m×n) = op(A)·op(B), plus C when <c>accumulate</c>; op(X) is X or Xᵀ. All matrices are row-major with
/// leading dimensions lda, ldb, ldc. A is (m×k) or, transposed, (k×m); B is (k×n) or, transposed, (n×k).
/// Sums run in double so the oracle is more exact than anything it checks.
/// </remarks>
internal static class GemmReference
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * ldc + j] : 0.0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)av * bv;
                }
                c[i * ldc + j] = (float)sum;
            }
        }
    }
}
