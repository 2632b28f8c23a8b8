using System.Runtime.CompilerServices;

namespace Lifelong.Tensors.Kernels;

/// <summary>The BLIS loop nest on one thread: block n by NC, k by KC, m by MC; pack; run MR×NR micro-tiles.</summary>
/// <remarks>
/// <code>
/// for jc in n by NC:                 B panel  (KC×NC, in L3) packed once per (jc, pc)
///   for pc in k by KC:
///     for ic in m by MC:             A block  (MC×KC, in L2) packed once per (jc, pc, ic)
///       for jr in nc by NR:          B sliver (KC×NR, in L1) reused across the ir loop
///         for ir in mc by MR:        micro-kernel: C tile += A sliver · B sliver
/// </code>
/// The first KC block writes C (or adds to it when accumulating); later ones add. Each C element is therefore
/// C₀ + AB₁ + AB₂ + … with the KC blocks fixed by k alone, whatever the thread split around this loop.
/// Block sizes are for Zen 4 (32 KiB L1d, 1 MiB L2 per core): a 256×32 B sliver is 32 KiB, a 192×256 A block 192 KiB.
/// </remarks>
internal static unsafe class GemmBlocked
{
    internal const int Kc = 256;
    internal const int Mc = 192;
    internal const int Nc = 4096;

    // Per-thread packing buffers, grown on first use and kept, so a call allocates nothing in steady state.
    // Pinned (pinned-object heap) so that raw pointers into them stay valid without a fixed block.
    [ThreadStatic] private static float[]? s_packedA;
    [ThreadStatic] private static float[]? s_packedB;

    public static void Run(in GemmProblem problem)
    {
        int mr = GemmMicroKernel.Mr, nr = GemmMicroKernel.Nr(problem.Isa);
        int m = problem.M, n = problem.N, k = problem.K;
        int kcStep = KcStep(k);
        int ncMax = Math.Min(Nc, RoundUp(n, nr)), mcMax = Math.Min(Mc, RoundUp(m, mr));
        float* packedA = Aligned(ref s_packedA, mcMax * kcStep);
        float* packedB = Aligned(ref s_packedB, ncMax * kcStep);

        for (int jc = 0; jc < n; jc += Nc)
        {
            int nc = Math.Min(Nc, n - jc);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                bool accumulate = problem.Accumulate || pc > 0;
                GemmPacking.PackB(problem, pc, jc, kc, nc, nr, packedB);
                for (int ic = 0; ic < m; ic += Mc)
                {
                    int mc = Math.Min(Mc, m - ic);
                    GemmPacking.PackA(problem, ic, pc, mc, kc, packedA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        float* bSliver = packedB + (long)jr * kc;
                        int columns = Math.Min(nr, nc - jr);
                        float* cColumn = problem.C + (long)ic * problem.Ldc + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            GemmMicroKernel.Run(problem.Isa, kc, packedA + (long)ir * kc, bSliver,
                                cColumn + (long)ir * problem.Ldc, problem.Ldc, Math.Min(mr, mc - ir), columns, accumulate);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The length of the blocks k is cut into: equal blocks of at most <see cref="Kc"/> (784 → 4×196, not
    /// 3×256 + 16), so that no block is too short to amortise writing its C tile. It depends on k alone, which keeps
    /// results independent of threading, kernel and instruction set.</summary>
    internal static int KcStep(int k)
    {
        int kBlocks = (k + Kc - 1) / Kc;
        return (k + kBlocks - 1) / kBlocks;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A 64-byte aligned pointer to at least <paramref name="length"/> floats of the thread's buffer.</summary>
    /// <remarks>Aligned so that each zmm load of a packed sliver touches one cache line.</remarks>
    private static float* Aligned(ref float[]? buffer, int length)
    {
        const int alignFloats = 16;
        if (buffer is null || buffer.Length < length + alignFloats)
            buffer = GC.AllocateUninitializedArray<float>(length + alignFloats, pinned: true);
        float* start = (float*)Unsafe.AsPointer(ref buffer[0]);
        return (float*)(((nint)start + 63) & ~(nint)63);
    }
}
