using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lifelong.Tensors.Kernels;

/// <summary>Unpacked AVX-512 kernels for products with a small side, where packing would cost as much as the multiply.</summary>
/// <remarks>
/// A small MLP step (batch 16, 784-100-100-10) multiplies 16-row activations by weights (x·Wᵀ, dY·W) and forms weight
/// gradients over 16 samples (dYᵀ·X, k = 16). With m = 16 the packed kernel copies the 784×100 weight into slivers for
/// only 16 rows of use, and pads 16 rows to 18 and 100 columns to 128. Here:
/// <list type="bullet">
/// <item><see cref="BroadcastRows"/> (op(B) = B, stored k×n): C tile of 6 rows × 32 columns; per step q, two vectors of B's
/// row q read in place and six broadcast values of op(A), any orientation. Used when m or k is small.</item>
/// <item><see cref="DotProducts"/> (A·Bᵀ, both contiguous along k): C tile of 4×4 dot products, each kept as 16 lanes over
/// k and reduced at the end; the last k mod 16 steps are the 16 floats ending at k with the lanes already summed masked
/// to zero in both operands (0·0 adds nothing, even where the other operand is infinite). Used when m is small.</item>
/// </list>
/// Each C element is computed by the same operations wherever its tile lies (edge tiles repeat a valid row or column
/// and discard it, or read zero-padded copies of the last columns), and depending on k alone: results do not depend
/// on the thread split. They differ from the packed kernel's in float summation order when k exceeds one KC block.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class GemmDirect
{
    /// <summary>At or below this many rows (or, for <see cref="BroadcastRows"/>, steps of k) the direct kernels run.</summary>
    internal const int SmallSide = 32;

    /// <summary>Which kernel computes an <paramref name="m"/>-row product over <paramref name="k"/>: decided on the whole product, before any split.</summary>
    internal static GemmPath Choose(GemmPath requested, GemmIsa isa, bool transA, bool transB, int m, int k)
    {
        if (requested == GemmPath.Packed || isa != GemmIsa.Avx512) return GemmPath.Packed;
        bool force = requested == GemmPath.Direct;
        if (!transB && (force || m <= SmallSide || k <= SmallSide)) return GemmPath.BroadcastRows;
        // Below one vector of k the dot product is all tail; the packed kernel does better.
        if (transB && !transA && (force || (m <= SmallSide && k >= 16))) return GemmPath.DotProducts;
        return GemmPath.Packed;
    }

    /// <summary>C (+)= op(A)·B for B stored k×n, in 6×32 tiles with B read in place.</summary>
    public static void BroadcastRows(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N, k = problem.K;
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
                float* a = problem.A + i * rowStep;
                float* c = problem.C + (nint)i * problem.Ldc + j;
                int rows = Math.Min(6, m - i);
                if (width == 32) Tile6x32(k, a, rowStep, kStep, rows, b, ldb, c, problem.Ldc, columns, problem.Accumulate);
                else Tile6x16(k, a, rowStep, kStep, rows, b, ldb, c, problem.Ldc, columns, problem.Accumulate);
            }
        }
    }

    /// <summary>C (+)= A·Bᵀ for A stored m×k and B stored n×k, in 4×4 tiles of dot products.</summary>
    public static void DotProducts(in GemmProblem problem)
    {
        int m = problem.M, n = problem.N;
        for (int j = 0; j < n; j += 4)
        {
            for (int i = 0; i < m; i += 4)
            {
                Dot4x4(problem, i, j, Math.Min(4, m - i), Math.Min(4, n - j));
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
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[q]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[q]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[q]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[q]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[q]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
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
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[q]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[q]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[q]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[q]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[q]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[q]), b0, c5);
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(in GemmProblem problem, int i, int j, int rows, int columns)
    {
        int k = problem.K;
        nint lda = problem.Lda, ldb = problem.Ldb;
        // Rows and columns past the edge repeat the last valid one; their results are discarded.
        float* a0 = problem.A + i * lda, a1 = a0 + Math.Min(1, rows - 1) * lda, a2 = a0 + Math.Min(2, rows - 1) * lda, a3 = a0 + Math.Min(3, rows - 1) * lda;
        float* b0 = problem.B + j * ldb, b1 = b0 + Math.Min(1, columns - 1) * ldb, b2 = b0 + Math.Min(2, columns - 1) * ldb, b3 = b0 + Math.Min(3, columns - 1) * ldb;
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var x0 = Vector512.Load(a0 + p);
            var x1 = Vector512.Load(a1 + p);
            var x2 = Vector512.Load(a2 + p);
            var x3 = Vector512.Load(a3 + p);
            var y = Vector512.Load(b0 + p);
            s00 = Avx512F.FusedMultiplyAdd(x0, y, s00); s10 = Avx512F.FusedMultiplyAdd(x1, y, s10);
            s20 = Avx512F.FusedMultiplyAdd(x2, y, s20); s30 = Avx512F.FusedMultiplyAdd(x3, y, s30);
            y = Vector512.Load(b1 + p);
            s01 = Avx512F.FusedMultiplyAdd(x0, y, s01); s11 = Avx512F.FusedMultiplyAdd(x1, y, s11);
            s21 = Avx512F.FusedMultiplyAdd(x2, y, s21); s31 = Avx512F.FusedMultiplyAdd(x3, y, s31);
            y = Vector512.Load(b2 + p);
            s02 = Avx512F.FusedMultiplyAdd(x0, y, s02); s12 = Avx512F.FusedMultiplyAdd(x1, y, s12);
            s22 = Avx512F.FusedMultiplyAdd(x2, y, s22); s32 = Avx512F.FusedMultiplyAdd(x3, y, s32);
            y = Vector512.Load(b3 + p);
            s03 = Avx512F.FusedMultiplyAdd(x0, y, s03); s13 = Avx512F.FusedMultiplyAdd(x1, y, s13);
            s23 = Avx512F.FusedMultiplyAdd(x2, y, s23); s33 = Avx512F.FusedMultiplyAdd(x3, y, s33);
        }
        if (p < k && k >= 16)
        {
            // The last k mod 16 steps: the 16 floats ending at k, with the lanes already summed zeroed in both operands.
            int start = k - 16;
            var fresh = Vector512.GreaterThanOrEqual(Vector512.Create(start) + Vector512<int>.Indices, Vector512.Create(p)).AsSingle();
            var x0 = Vector512.Load(a0 + start) & fresh;
            var x1 = Vector512.Load(a1 + start) & fresh;
            var x2 = Vector512.Load(a2 + start) & fresh;
            var x3 = Vector512.Load(a3 + start) & fresh;
            var y = Vector512.Load(b0 + start) & fresh;
            s00 = Avx512F.FusedMultiplyAdd(x0, y, s00); s10 = Avx512F.FusedMultiplyAdd(x1, y, s10);
            s20 = Avx512F.FusedMultiplyAdd(x2, y, s20); s30 = Avx512F.FusedMultiplyAdd(x3, y, s30);
            y = Vector512.Load(b1 + start) & fresh;
            s01 = Avx512F.FusedMultiplyAdd(x0, y, s01); s11 = Avx512F.FusedMultiplyAdd(x1, y, s11);
            s21 = Avx512F.FusedMultiplyAdd(x2, y, s21); s31 = Avx512F.FusedMultiplyAdd(x3, y, s31);
            y = Vector512.Load(b2 + start) & fresh;
            s02 = Avx512F.FusedMultiplyAdd(x0, y, s02); s12 = Avx512F.FusedMultiplyAdd(x1, y, s12);
            s22 = Avx512F.FusedMultiplyAdd(x2, y, s22); s32 = Avx512F.FusedMultiplyAdd(x3, y, s32);
            y = Vector512.Load(b3 + start) & fresh;
            s03 = Avx512F.FusedMultiplyAdd(x0, y, s03); s13 = Avx512F.FusedMultiplyAdd(x1, y, s13);
            s23 = Avx512F.FusedMultiplyAdd(x2, y, s23); s33 = Avx512F.FusedMultiplyAdd(x3, y, s33);
            p = k;
        }

        float* tile = stackalloc float[16];
        tile[0] = Finish(s00, a0, b0, p, k); tile[1] = Finish(s01, a0, b1, p, k); tile[2] = Finish(s02, a0, b2, p, k); tile[3] = Finish(s03, a0, b3, p, k);
        tile[4] = Finish(s10, a1, b0, p, k); tile[5] = Finish(s11, a1, b1, p, k); tile[6] = Finish(s12, a1, b2, p, k); tile[7] = Finish(s13, a1, b3, p, k);
        tile[8] = Finish(s20, a2, b0, p, k); tile[9] = Finish(s21, a2, b1, p, k); tile[10] = Finish(s22, a2, b2, p, k); tile[11] = Finish(s23, a2, b3, p, k);
        tile[12] = Finish(s30, a3, b0, p, k); tile[13] = Finish(s31, a3, b1, p, k); tile[14] = Finish(s32, a3, b2, p, k); tile[15] = Finish(s33, a3, b3, p, k);
        WriteTile(tile, 4, problem.C + (nint)i * problem.Ldc + j, problem.Ldc, rows, columns, problem.Accumulate);
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

    /// <summary>The dot product from its 16 lane sums and, when k &lt; 16, the k steps one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> lanes, float* a, float* b, int p, int k)
    {
        float sum = Vector512.Sum(lanes);
        for (; p < k; p++) sum = MathF.FusedMultiplyAdd(a[p], b[p], sum);
        return sum;
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
    /// <summary>A direct kernel whenever the orientation has one, whatever the shape (tests).</summary>
    Direct,
    /// <summary><see cref="GemmDirect.BroadcastRows"/>.</summary>
    BroadcastRows,
    /// <summary><see cref="GemmDirect.DotProducts"/>.</summary>
    DotProducts,
}
