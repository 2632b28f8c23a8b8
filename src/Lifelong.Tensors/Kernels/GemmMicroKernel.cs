using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lifelong.Tensors.Kernels;

/// <summary>The register-tile micro-kernel: an MR×NR tile of C accumulated in vector registers over one KC block.</summary>
/// <remarks>
/// Per step p of the packed slivers: load one row of the B sliver (NR floats, two vectors), broadcast each of the
/// MR values of the A sliver, and issue 2·MR independent FMAs into 2·MR accumulators. With MR = 6 that is 12
/// accumulators, enough to cover the FMA latency (4 cycles, 1–2 per cycle), plus 2 B vectors and a broadcast:
/// 15 registers, which also fits the 16 ymm registers of AVX2. Each element's sum runs over p in order, starting
/// from zero; the finished tile is then added to C (or stored), in that order for full and edge tiles alike, so
/// the result for an element never depends on whether its tile was cut by the matrix edge — nor on the tile's width:
/// the 6×32 (AVX-512), 6×16 (AVX2) and 6×8 (128-bit: NEON, or software vectors) kernels run the same FMAs per element,
/// so every instruction set gives the same bits.
/// <para>
/// The kernels use only cross-platform vector operations (<c>Vector512/256/128.FusedMultiplyAdd</c>, loads, stores,
/// adds), which the JIT compiles to the same instructions as the x86 intrinsics where the hardware has them, and which
/// .NET computes in software where it does not, with the same roundings. So any machine can run any kernel
/// (<see cref="GemmOptions.Emulate"/>), slowly: the tests check the AVX-512 kernels' bits on machines without AVX-512.
/// </para>
/// <para>
/// <c>SkipLocalsInit</c> keeps the 12 accumulators in registers whatever the JIT's profile data: without it the edge
/// tile's <c>stackalloc</c> is zeroed by a helper call, the accumulators are live across that call (every ymm register
/// is caller-saved), and with tiered PGO off (<c>DOTNET_TieredCompilation=0</c> or <c>DOTNET_TieredPGO=0</c>) the
/// register allocator spilled all 12 to the stack in every step of the k-loop: the 128×784×256 product fell from about
/// 66 to 15 GFLOP/s on the AVX2 EPYC. The tile is written in full before it is read, so it needs no zeroing.
/// </para>
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    internal const int Mr = 6;

    /// <summary>The widest micro-kernel the machine accelerates.</summary>
    internal static GemmIsa Best { get; } =
        CanRun(GemmIsa.Avx512) ? GemmIsa.Avx512 : IsSupported(GemmIsa.Avx2) ? GemmIsa.Avx2 : GemmIsa.Vector128;

    /// <summary>Columns of the register tile: two vectors.</summary>
    internal static int Nr(GemmIsa isa) => isa switch { GemmIsa.Avx512 => 32, GemmIsa.Avx2 => 16, _ => 8 };

    /// <summary>Whether the kernels of <paramref name="isa"/> may run without being asked to emulate: accelerated, or
    /// AVX-512 under <see cref="EngineInfo.Avx512Emulated"/>.</summary>
    internal static bool CanRun(GemmIsa isa) => IsSupported(isa) || (isa == GemmIsa.Avx512 && EngineInfo.Avx512Emulated);

    internal static bool IsSupported(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        GemmIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>C[0..rows, 0..columns] (+)= A sliver (kc×MR) · B sliver (kc×NR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(GemmIsa isa, int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        if (isa == GemmIsa.Avx512) Tile6x32(kc, a, b, c, ldc, rows, columns, accumulate);
        else if (isa == GemmIsa.Avx2)
        {
            if (rows > 4) Tile6x16(kc, a, b, c, ldc, rows, columns, accumulate);
            else if (rows > 2) Tile4x16(kc, a, b, c, ldc, rows, columns, accumulate);
            else Tile2x16(kc, a, b, c, ldc, rows, columns, accumulate);
        }
        else Tile6x8(kc, a, b, c, ldc, rows, columns, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x32(int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        PrefetchTile(c, ldc, 32);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += Mr, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var ai = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
        }

        if (rows == Mr && columns == 32)
        {
            Store(c, c00, c01, accumulate);
            Store(c + ldc, c10, c11, accumulate);
            Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate);
            Store(c + 4 * ldc, c40, c41, accumulate);
            Store(c + 5 * ldc, c50, c51, accumulate);
            return;
        }

        // Edge tile: spill the whole tile, then add only the part inside C, element by element.
        float* tile = stackalloc float[Mr * 32];
        c00.Store(tile); c01.Store(tile + 16);
        c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144);
        c50.Store(tile + 160); c51.Store(tile + 176);
        WriteEdge(tile, 32, c, ldc, rows, columns, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> left, Vector512<float> right, bool accumulate)
    {
        if (accumulate)
        {
            left += Vector512.Load(c);
            right += Vector512.Load(c + 16);
        }
        left.Store(c);
        right.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x16(int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        PrefetchTile(c, ldc, 16);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += Mr, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
        }

        if (rows == Mr && columns == 16)
        {
            Store(c, c00, c01, accumulate);
            Store(c + ldc, c10, c11, accumulate);
            Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate);
            Store(c + 4 * ldc, c40, c41, accumulate);
            Store(c + 5 * ldc, c50, c51, accumulate);
            return;
        }

        float* tile = stackalloc float[Mr * 16];
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72);
        c50.Store(tile + 80); c51.Store(tile + 88);
        WriteEdge(tile, 16, c, ldc, rows, columns, accumulate);
    }

    /// <summary>A last tile of three or four rows (m = 16, 64, 100, 256: m mod 6 = 4):
    /// the 6-row kernel's FMAs for the first four rows only. Its 8 accumulators still cover the FMA latency, so the tile
    /// costs two thirds of a 6-row one instead of a whole one; each element's sum is the one the 6-row kernel computes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x16(int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        PrefetchTile(c, ldc, 16, 4);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default;
        for (int p = 0; p < kc; p++, a += Mr, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
        }

        if (rows == 4 && columns == 16)
        {
            Store(c, c00, c01, accumulate);
            Store(c + ldc, c10, c11, accumulate);
            Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate);
            return;
        }

        float* tile = stackalloc float[4 * 16];
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
        WriteEdge(tile, 16, c, ldc, rows, columns, accumulate);
    }

    /// <summary>A last tile of one or two rows (m = 128: m mod 6 = 2; a single row): the 6-row kernel's FMAs for the
    /// first two rows only. Four accumulators leave half the FMA slots idle, but the
    /// tile still costs a third less than a 6-row one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2x16(int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        PrefetchTile(c, ldc, 16, 2);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        for (int p = 0; p < kc; p++, a += Mr, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
        }

        if (rows == 2 && columns == 16)
        {
            Store(c, c00, c01, accumulate);
            Store(c + ldc, c10, c11, accumulate);
            return;
        }

        float* tile = stackalloc float[2 * 16];
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        WriteEdge(tile, 16, c, ldc, rows, columns, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> left, Vector256<float> right, bool accumulate)
    {
        if (accumulate)
        {
            left += Vector256.Load(c);
            right += Vector256.Load(c + 8);
        }
        left.Store(c);
        right.Store(c + 8);
    }

    /// <summary>The 128-bit tile: hardware FMA on NEON; on x86 without AVX2 (and FMA) <c>Vector128.FusedMultiplyAdd</c>
    /// is computed in software, slowly but still fused, so the bits stay those of the wider kernels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x8(int kc, float* a, float* b, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += Mr, b += 8)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var ai = Vector128.Create(a[0]);
            c00 = Vector128.FusedMultiplyAdd(ai, b0, c00);
            c01 = Vector128.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector128.Create(a[1]);
            c10 = Vector128.FusedMultiplyAdd(ai, b0, c10);
            c11 = Vector128.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector128.Create(a[2]);
            c20 = Vector128.FusedMultiplyAdd(ai, b0, c20);
            c21 = Vector128.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector128.Create(a[3]);
            c30 = Vector128.FusedMultiplyAdd(ai, b0, c30);
            c31 = Vector128.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector128.Create(a[4]);
            c40 = Vector128.FusedMultiplyAdd(ai, b0, c40);
            c41 = Vector128.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector128.Create(a[5]);
            c50 = Vector128.FusedMultiplyAdd(ai, b0, c50);
            c51 = Vector128.FusedMultiplyAdd(ai, b1, c51);
        }

        float* tile = stackalloc float[Mr * 8];
        c00.Store(tile); c01.Store(tile + 4);
        c10.Store(tile + 8); c11.Store(tile + 12);
        c20.Store(tile + 16); c21.Store(tile + 20);
        c30.Store(tile + 24); c31.Store(tile + 28);
        c40.Store(tile + 32); c41.Store(tile + 36);
        c50.Store(tile + 40); c51.Store(tile + 44);
        WriteEdge(tile, 8, c, ldc, rows, columns, accumulate);
    }

    /// <summary>Asks for the C tile's cache lines before the k-loop, so that they arrive while it runs: C's rows are a
    /// whole row of the matrix apart (4 KiB for n = 1024, all in one L1 set), and the tile is read and written at the loop's
    /// end, where a miss would stall the kernel. A prefetch only moves data (and never faults past the matrix), so it leaves
    /// every result as it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, int ldc, int width, int rows = Mr)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            float* row = c + (long)r * ldc;
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + width - 1);
        }
    }

    private static void WriteEdge(float* tile, int nr, float* c, int ldc, int rows, int columns, bool accumulate)
    {
        for (int i = 0; i < rows; i++, tile += nr, c += ldc)
        {
            if (accumulate) for (int j = 0; j < columns; j++) c[j] += tile[j];
            else for (int j = 0; j < columns; j++) c[j] = tile[j];
        }
    }
}
