namespace Lifelong.Tensors.Kernels;

/// <summary>One SGEMM call as raw pointers: the operands pinned by <see cref="Gemm"/> for the duration of the call.</summary>
/// <remarks>
/// A pointer struct rather than spans so that it can cross into <see cref="Parallel.For(int, int, Action{int})"/>
/// and be narrowed to a sub-product (<see cref="Rows"/>, <see cref="Columns"/>) by moving base pointers.
/// </remarks>
internal readonly unsafe struct GemmProblem(GemmIsa isa, bool transA, bool transB, int m, int n, int k,
    float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
{
    public GemmIsa Isa { get; } = isa;
    public bool TransA { get; } = transA;
    public bool TransB { get; } = transB;
    public int M { get; } = m;
    public int N { get; } = n;
    public int K { get; } = k;
    public float* A { get; } = a;
    public int Lda { get; } = lda;
    public float* B { get; } = b;
    public int Ldb { get; } = ldb;
    public float* C { get; } = c;
    public int Ldc { get; } = ldc;
    public bool Accumulate { get; } = accumulate;

    /// <summary>Rows [first, first + count) of C: the matching rows of op(A), all of op(B).</summary>
    public GemmProblem Rows(int first, int count) => new(Isa, TransA, TransB, count, N, K,
        TransA ? A + first : A + (long)first * Lda, Lda, B, Ldb, C + (long)first * Ldc, Ldc, Accumulate);

    /// <summary>Columns [first, first + count) of C: all of op(A), the matching columns of op(B).</summary>
    public GemmProblem Columns(int first, int count) => new(Isa, TransA, TransB, M, count, K,
        A, Lda, TransB ? B + (long)first * Ldb : B + first, Ldb, C + first, Ldc, Accumulate);
}
