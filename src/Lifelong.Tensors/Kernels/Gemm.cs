namespace Lifelong.Tensors.Kernels;

/// <summary>Single-precision matrix multiply, the engine's hot path.</summary>
/// <remarks>Same contract as <see cref="GemmReference.Sgemm"/>. (Replaced by the packed, blocked kernel.)</remarks>
internal static class Gemm
{
    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        => GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
}
