namespace Lifelong.Tensors.Kernels;

/// <summary>Single-precision matrix multiply, the engine's hot path.</summary>
/// <remarks>
/// Same contract as <see cref="GemmReference.Sgemm"/>: C (m×n) = op(A)·op(B), plus C when <c>accumulate</c>,
/// row-major with leading dimensions. Tiny products go to the reference (packing would cost more than the
/// multiply: a double-precision sum rounded once); everything else runs the BLIS-structured kernel in
/// <see cref="GemmBlocked"/>, split into fixed contiguous ranges of rows or columns, one per thread; on AVX-512, products
/// with a small side (a batch of 16 rows, or k = 16 samples in a weight gradient) run the unpacked kernel of
/// <see cref="GemmDirect"/> instead. The order of every C element's sum is defined by the shape alone: k is cut into
/// blocks fixed by k (<see cref="GemmBlocked.KcStep"/>); within a block the products are summed in order of k by fused
/// multiply-adds from zero; the block sums are then added to C in order. Every kernel (AVX-512, AVX2, 128-bit, packed
/// or direct) and every split follows it, so the bits depend neither on the thread count nor on the instruction set.
/// </remarks>
internal static class Gemm
{
    /// <summary>At or below this many multiply-adds (m·n·k), the reference loop beats packing.</summary>
    internal const long TinyWork = 4 * 1024;

    /// <summary>Below this many multiply-adds per thread, waking a second thread costs more than it saves.</summary>
    internal const long WorkPerThread = 256 * 1024;

    /// <summary>The same for the direct kernels: a batch-16 product (16×784×100, ~30 µs) finishes before a split pays for
    /// the wake-up and the second core; above a few million multiply-adds the split is worth it again.</summary>
    internal const long DirectWorkPerThread = 2 * 1024 * 1024;

    /// <summary>Upper bound on threads: beyond a few, the fixed split leaves too little work per range.</summary>
    internal const int MaxThreads = 8;

    public static void Sgemm(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
        => Sgemm(GemmOptions.Default, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>The same multiply with the instruction set, threading and tiny path chosen by the caller (tests, benchmarks).</summary>
    internal static unsafe void Sgemm(GemmOptions options, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0) return;
        CheckOperand(c.Length, m, n, ldc, nameof(c));
        if (k == 0)
        {
            if (!accumulate) for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        // The kernel reads through pointers, so the bounds the reference gets from span indexing are checked here once.
        if (transA) CheckOperand(a.Length, k, m, lda, nameof(a)); else CheckOperand(a.Length, m, k, lda, nameof(a));
        if (transB) CheckOperand(b.Length, n, k, ldb, nameof(b)); else CheckOperand(b.Length, k, n, ldb, nameof(b));

        long work = (long)m * n * k;
        var isa = options.Isa == GemmIsa.Auto ? GemmMicroKernel.Best : options.Isa;
        if (!options.Emulate && !GemmMicroKernel.CanRun(isa)) throw new NotSupportedException($"This machine does not accelerate {isa}.");
        if (options.UseTinyPath && work <= TinyWork)
        {
            GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(isa, transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
            var path = GemmDirect.Choose(options.Path, isa, transA, transB, m, k);
            int threads = options.Threads > 0
                ? options.Threads
                : (int)Math.Clamp(work / (path == GemmPath.Packed ? WorkPerThread : DirectWorkPerThread), 1, Math.Min(Environment.ProcessorCount, MaxThreads));
            if (threads == 1) Run(path, problem);
            else RunParallel(path, problem, threads);
        }
    }

    private static void Run(GemmPath path, in GemmProblem problem)
    {
        switch (path)
        {
            case GemmPath.BroadcastRows: GemmDirect.BroadcastRows(problem); break;
            default: GemmBlocked.Run(problem); break;
        }
    }

    /// <summary>Splits the product into <paramref name="threads"/> contiguous ranges of rows or columns, each a whole sub-GEMM.</summary>
    /// <remarks>
    /// Each range packs the operand it does not split on its own, so the split goes across the dimension whose
    /// duplicated packing is cheaper: columns (re-packing A, m·k) when m ≤ n, else rows (re-packing B, k·n).
    /// Ranges are multiples of the tile so that no range creates extra edge tiles.
    /// </remarks>
    private static void RunParallel(GemmPath path, GemmProblem problem, int threads)
    {
        bool splitColumns = problem.M <= problem.N;
        int extent = splitColumns ? problem.N : problem.M;
        int tile = splitColumns ? GemmMicroKernel.Nr(problem.Isa) : GemmMicroKernel.Mr;
        int tiles = (extent + tile - 1) / tile;
        threads = Math.Min(threads, tiles);
        if (threads <= 1) Run(path, problem);
        else GemmThreads.Run(threads, new RangeJob(path, problem, splitColumns, extent, tile, tiles, threads));
    }

    /// <summary>Part p of a split product: the p-th of <c>parts</c> equal runs of whole tiles along rows or columns.</summary>
    private readonly struct RangeJob(GemmPath path, GemmProblem problem, bool splitColumns, int extent, int tile, int tiles, int parts) : IPartitionedJob
    {
        public void Run(int part)
        {
            int first = (int)((long)tiles * part / parts) * tile;
            int end = Math.Min(extent, (int)((long)tiles * (part + 1) / parts) * tile);
            if (end > first) Gemm.Run(path, splitColumns ? problem.Columns(first, end - first) : problem.Rows(first, end - first));
        }
    }

    private static void CheckOperand(int length, int rows, int columns, int leading, string name)
    {
        if (leading < columns) throw new ArgumentException($"Leading dimension {leading} is less than the {columns} columns.", name);
        if (length < (long)(rows - 1) * leading + columns)
            throw new ArgumentException($"Span of {length} floats is too short for {rows}×{columns} with leading dimension {leading}.", name);
    }
}

/// <summary>Which micro-kernel runs the packed product.</summary>
internal enum GemmIsa
{
    /// <summary>The widest the machine accelerates.</summary>
    Auto,
    /// <summary>6×8 tiles in <c>Vector128</c> registers: NEON, SSE without AVX2 (FMA in software), or no SIMD at all.</summary>
    Vector128,
    /// <summary>6×16 tiles in <c>Vector256</c> registers with FMA.</summary>
    Avx2,
    /// <summary>6×32 tiles in <c>Vector512</c> registers with FMA.</summary>
    Avx512,
}

/// <summary>Overrides for tests and benchmarks: force an instruction set, a thread count, a kernel, or the packed path on tiny shapes.</summary>
/// <param name="Isa">Micro-kernel; <see cref="GemmIsa.Auto"/> picks the best accelerated one.</param>
/// <param name="Threads">Number of ranges (and threads); 0 chooses from the work and the core count.</param>
/// <param name="UseTinyPath">Whether tiny products go to the reference loop instead of the packed kernel.</param>
/// <param name="Path">Packed or direct kernel; <see cref="GemmPath.Auto"/> chooses from the shape. The direct kernel needs AVX-512.</param>
/// <param name="Emulate">Run <paramref name="Isa"/>'s kernels even where the machine does not accelerate them. The AVX-512
/// kernels are written with <c>Vector512</c> operations only (loads, stores, <c>Vector512.FusedMultiplyAdd</c>, adds),
/// which .NET then computes in software with the same roundings (the FMA still fused), so a machine without AVX-512 can
/// check those kernels' bits; slowly, so for tests only.</param>
internal readonly record struct GemmOptions(GemmIsa Isa = GemmIsa.Auto, int Threads = 0, bool UseTinyPath = true, GemmPath Path = GemmPath.Auto, bool Emulate = false)
{
    /// <summary>What <see cref="Gemm.Sgemm(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/> uses.</summary>
    public static GemmOptions Default => new();
}
