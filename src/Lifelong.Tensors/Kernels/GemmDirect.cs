using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lifelong.Tensors.Kernels;

/// <summary>An unpacked AVX-512 kernel for products with a small side, where packing would cost as much as the multiply.</summary>
/// <remarks>
/// A small MLP step (batch 16, 784-100-100-10) multiplies 16-row activations by weights (dY·W) and forms weight
/// gradients over 16 samples (dYᵀ·X, k = 16). With m = 16 the packed kernel copies the 784×100 weight into slivers for
/// only 16 rows of use, and pads 16 rows to 18 and 100 columns to 128. <see cref="BroadcastRows"/> (op(B) = B, stored
/// k×n) computes a C tile of 6 rows × 32 columns: per step q, two vectors of B's row q read in place and six broadcast
/// values of op(A), any orientation. Each C element is computed by the same operations wherever its tile lies (edge
/// tiles repeat a valid row and discard it, or read zero-padded copies of the last columns) and in the order every GEMM
/// kernel follows (<see cref="Gemm"/>: k in the blocks of <see cref="GemmBlocked.KcStep"/>, each summed by FMAs from
/// zero and added to C), so it gives the packed kernel's bits, on any split and any instruction set.
/// (An earlier dot-product kernel for A·Bᵀ kept 16 partial sums per element; it was removed because that order differs
/// from the packed kernel's, which the machines without AVX-512 run.)
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmDirect
{
    /// <summary>At or below this many rows or steps of k the direct kernel runs.</summary>
    internal const int SmallSide = 32;

    /// <summary>Which kernel computes an <paramref name="m"/>-row product over <paramref name="k"/>: decided on the whole product, before any split.</summary>
    internal static GemmPath Choose(GemmPath requested, GemmIsa isa, bool transA, bool transB, int m, int k)
    {
        if (requested == GemmPath.Packed || isa != GemmIsa.Avx512) return GemmPath.Packed;
        bool force = requested == GemmPath.Direct;
        if (!transB && (force || m <= SmallSide || k <= SmallSide)) return GemmPath.BroadcastRows;
        return GemmPath.Packed;
    }

    /// <summary>C (+)= op(A)·B for B stored k×n, in 6×32 tiles with B read in place.</summary>
    public static void BroadcastRows(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N, k = problem.K, kcStep = GemmBlocked.KcStep(k);
        nint rowStep = problem.TransA ? 1 : problem.Lda, kStep = problem.TransA ? problem.Lda : 1;
        for (int j = 0; j < n; j += 32)
        {
            int columns = Math.Min(32, n - j);
            int width = columns > 16 ? 32 : 16;
            float* b = problem.B + j;
            nint ldb = problem.Ldb;
            if (columns < width)
            {
                // The last columns, zero-padded to a whole vector so that loads stay inside B.
                b = PaddedColumns(problem.B + j, problem.Ldb, k, columns, width);
                ldb = width;
            }
            for (int i = 0; i < m; i += 6)
            {
                float* c = problem.C + (nint)i * problem.Ldc + j;
                int rows = Math.Min(6, m - i);
                for (int pc = 0; pc < k; pc += kcStep)
                {
                    int kc = Math.Min(kcStep, k - pc);
                    float* a = problem.A + i * rowStep + pc * kStep;
                    float* bBlock = b + pc * ldb;
                    bool accumulate = problem.Accumulate || pc > 0;
                    if (width == 32) Tile6x32(kc, a, rowStep, kStep, rows, bBlock, ldb, c, problem.Ldc, columns, accumulate);
                    else Tile6x16(kc, a, rowStep, kStep, rows, bBlock, ldb, c, problem.Ldc, columns, accumulate);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x32(int k, float* a, nint rowStep, nint kStep, int rows, float* b, nint ldb, float* c, nint ldc, int columns, bool accumulate)
    {
        // Rows past the edge repeat the last valid row; their results are discarded.
        float* a0 = a, a1 = a + Math.Min(1, rows - 1) * rowStep, a2 = a + Math.Min(2, rows - 1) * rowStep;
        float* a3 = a + Math.Min(3, rows - 1) * rowStep, a4 = a + Math.Min(4, rows - 1) * rowStep, a5 = a + Math.Min(5, rows - 1) * rowStep;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint q = 0;
        for (int p = 0; p < k; p++, q += kStep, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a0[q]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[q]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[q]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[q]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[q]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[q]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
        }

        if (rows == 6 && columns == 32)
        {
            Store(c, c00, c01, accumulate);
            Store(c + ldc, c10, c11, accumulate);
            Store(c + 2 * ldc, c20, c21, accumulate);
            Store(c + 3 * ldc, c30, c31, accumulate);
            Store(c + 4 * ldc, c40, c41, accumulate);
            Store(c + 5 * ldc, c50, c51, accumulate);
            return;
        }

        float* tile = stackalloc float[6 * 32];
        c00.Store(tile); c01.Store(tile + 16);
        c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144);
        c50.Store(tile + 160); c51.Store(tile + 176);
        WriteTile(tile, 32, c, ldc, rows, columns, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile6x16(int k, float* a, nint rowStep, nint kStep, int rows, float* b, nint ldb, float* c, nint ldc, int columns, bool accumulate)
    {
        float* a0 = a, a1 = a + Math.Min(1, rows - 1) * rowStep, a2 = a + Math.Min(2, rows - 1) * rowStep;
        float* a3 = a + Math.Min(3, rows - 1) * rowStep, a4 = a + Math.Min(4, rows - 1) * rowStep, a5 = a + Math.Min(5, rows - 1) * rowStep;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        nint q = 0;
        for (int p = 0; p < k; p++, q += kStep, b += ldb)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[q]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[q]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[q]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[q]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a4[q]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a5[q]), b0, c5);
        }

        if (rows == 6 && columns == 16)
        {
            Store(c, c0, accumulate); Store(c + ldc, c1, accumulate); Store(c + 2 * ldc, c2, accumulate);
            Store(c + 3 * ldc, c3, accumulate); Store(c + 4 * ldc, c4, accumulate); Store(c + 5 * ldc, c5, accumulate);
            return;
        }

        float* tile = stackalloc float[6 * 16];
        c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32);
        c3.Store(tile + 48); c4.Store(tile + 64); c5.Store(tile + 80);
        WriteTile(tile, 16, c, ldc, rows, columns, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> left, Vector512<float> right, bool accumulate)
    {
        Store(c, left, accumulate);
        Store(c + 16, right, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> value, bool accumulate)
    {
        if (accumulate) value = Vector512.Load(c) + value;
        value.Store(c);
    }

    /// <summary>Writes (or adds) the valid rows × columns of a spilled tile into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTile(float* tile, int width, float* c, nint ldc, int rows, int columns, bool accumulate)
    {
        for (int r = 0; r < rows; r++, tile += width, c += ldc)
        {
            int j = 0;
            if (columns >= 16 && width >= 16)
            {
                var v = Vector512.Load(tile);
                if (accumulate) v = Vector512.Load(c) + v;
                v.Store(c);
                j = 16;
                if (columns == 32)
                {
                    var w = Vector512.Load(tile + 16);
                    if (accumulate) w = Vector512.Load(c + 16) + w;
                    w.Store(c + 16);
                    continue;
                }
            }
            if (accumulate) for (; j < columns; j++) c[j] += tile[j];
            else for (; j < columns; j++) c[j] = tile[j];
        }
    }

    [ThreadStatic] private static float[]? s_padded;

    /// <summary>k rows of <paramref name="columns"/> values from B, each padded with zeros to <paramref name="width"/>, in a thread-local pinned buffer.</summary>
    private static float* PaddedColumns(float* b, nint ldb, int k, int columns, int width)
    {
        int length = k * width;
        if (s_padded is null || s_padded.Length < length) s_padded = GC.AllocateUninitializedArray<float>(Math.Max(length, 4096), pinned: true);
        float* padded = (float*)Unsafe.AsPointer(ref s_padded[0]);
        float* row = padded;
        for (int p = 0; p < k; p++, b += ldb, row += width)
        {
            int j = 0;
            for (; j < columns; j++) row[j] = b[j];
            for (; j < width; j++) row[j] = 0f;
        }
        return padded;
    }
}

/// <summary>Which kernel runs a product.</summary>
internal enum GemmPath
{
    /// <summary>Chosen from the shape by <see cref="GemmDirect.Choose"/>.</summary>
    Auto,
    /// <summary>The packed BLIS-structured kernel (<see cref="GemmBlocked"/>).</summary>
    Packed,
    /// <summary>The direct kernel whenever the orientation has one, whatever the shape (tests).</summary>
    Direct,
    /// <summary><see cref="GemmDirect.BroadcastRows"/>.</summary>
    BroadcastRows,
}
