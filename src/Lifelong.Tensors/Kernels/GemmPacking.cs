using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lifelong.Tensors.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the sliver layout the micro-kernel streams through.</summary>
/// <remarks>
/// A block (mc×kc) becomes ⌈mc/MR⌉ slivers, each kc steps of MR consecutive floats (one column of the sliver per
/// step). A B panel (kc×nc) becomes ⌈nc/NR⌉ slivers, each kc steps of NR consecutive floats (one row per step).
/// Rows and columns past the matrix edge are packed as zeros, so the micro-kernel always runs a full tile and
/// the transposes are absorbed here: the kernel never sees them. Packing only copies, so its AVX transposes and the
/// element-by-element loops that stand in for them without AVX give the same slivers.
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[ic..ic+mc, pc..pc+kc] into MR-row slivers.</summary>
    public static void PackA(in GemmProblem problem, int ic, int pc, int mc, int kc, float* destination)
    {
        const int mr = GemmMicroKernel.Mr;
        int lda = problem.Lda;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            float* sliver = destination + (long)ir * kc;
            if (problem.TransA)
            {
                // A is stored k×m: the MR values of one step are contiguous.
                float* source = problem.A + (long)pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, source += lda, sliver += mr)
                {
                    if (rows == mr)
                    {
                        Vector128.Store(Vector128.Load(source), sliver);
                        sliver[4] = source[4];
                        sliver[5] = source[5];
                        continue;
                    }
                    int r = 0;
                    for (; r < rows; r++) sliver[r] = source[r];
                    for (; r < mr; r++) sliver[r] = 0f;
                }
            }
            else if (rows == mr && Avx.IsSupported)
            {
                // A is stored m×k: transpose 8 steps of the MR rows at a time (rows 6 and 7 of the 8×8 block are
                // padding whose outputs the next step's store overwrites), then finish the steps one by one.
                float* row0 = problem.A + (long)(ic + ir) * lda + pc;
                int p = 0;
                for (; p + 8 <= kc; p += 8, sliver += 8 * mr) TransposeSixRows(row0 + p, lda, sliver);
                for (; p < kc; p++, sliver += mr)
                {
                    for (int r = 0; r < mr; r++) sliver[r] = row0[(long)r * lda + p];
                }
            }
            else
            {
                new Span<float>(sliver, kc * mr).Clear();
                for (int r = 0; r < rows; r++)
                {
                    float* row = problem.A + (long)(ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) sliver[p * mr + r] = row[p];
                }
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-column slivers.</summary>
    public static void PackB(in GemmProblem problem, int pc, int jc, int kc, int nc, int nr, float* destination)
    {
        int ldb = problem.Ldb;
        int jr = 0;
        if (!problem.TransB && (nr == 16 || nr == 32))
        {
            int whole = nc - nc % nr;
            PackWholeRowSlivers(problem.B + (long)pc * ldb + jc, ldb, kc, whole, nr, destination);
            jr = whole;
        }
        for (; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            float* sliver = destination + (long)jr * kc;
            if (problem.TransB)
            {
                // B is stored n×k: each column of the sliver is a contiguous run of k. Full slivers transpose
                // 8×8 blocks in registers; edge slivers and the last k mod 8 steps go element by element.
                int p = 0;
                if (columns == nr && Avx.IsSupported)
                {
                    float* first = problem.B + (long)(jc + jr) * ldb + pc;
                    for (; p + 8 <= kc; p += 8)
                    {
                        for (int j = 0; j < nr; j += 8) Transpose8x8(first + (long)j * ldb + p, ldb, sliver + (long)p * nr + j, nr);
                    }
                }
                else
                {
                    new Span<float>(sliver, kc * nr).Clear();
                }
                for (int j = 0; j < columns; j++)
                {
                    float* column = problem.B + (long)(jc + jr + j) * ldb + pc;
                    for (int q = p; q < kc; q++) sliver[q * nr + j] = column[q];
                }
            }
            else
            {
                // B is stored k×n: each step of the sliver is a run of NR, zero-padded past the edge.
                float* source = problem.B + (long)pc * ldb + jc + jr;
                for (int p = 0; p < kc; p++, source += ldb, sliver += nr)
                {
                    int j = 0;
                    for (; j < columns; j++) sliver[j] = source[j];
                    for (; j < nr; j++) sliver[j] = 0f;
                }
            }
        }
    }

    /// <summary>Packs the first <paramref name="width"/> columns (whole slivers of 16 or 32) of a k×n block of B stored
    /// row-major, one row of B at a time.</summary>
    /// <remarks>Row by row, not sliver by sliver: B is read front to back, a stream the hardware prefetcher follows,
    /// where sliver by sliver read 64 or 128 bytes of each row a whole row apart (1 KiB for n = 256) and came back for
    /// the next bytes one sliver later. The writes go to width/NR sequential streams, one per sliver.</remarks>
    private static void PackWholeRowSlivers(float* source, int ldb, int kc, int width, int nr, float* destination)
    {
        long sliverLength = (long)kc * nr;
        for (int p = 0; p < kc; p++, source += ldb)
        {
            float* step = destination + (long)p * nr;
            for (int j = 0; j < width; j += nr, step += sliverLength)
            {
                Vector256.Store(Vector256.Load(source + j), step);
                Vector256.Store(Vector256.Load(source + j + 8), step + 8);
                if (nr == 32)
                {
                    Vector256.Store(Vector256.Load(source + j + 16), step + 16);
                    Vector256.Store(Vector256.Load(source + j + 24), step + 24);
                }
            }
        }
    }

    /// <summary>destination[q·stride + i] = source[i·sourceStride + q] for an 8×8 block: unpack, shuffle, swap lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, int sourceStride, float* destination, int stride)
    {
        var (s0, s1, s2, s3, s4, s5, s6, s7) = Interleave(
            Avx.LoadVector256(source), Avx.LoadVector256(source + sourceStride),
            Avx.LoadVector256(source + 2 * (long)sourceStride), Avx.LoadVector256(source + 3 * (long)sourceStride),
            Avx.LoadVector256(source + 4 * (long)sourceStride), Avx.LoadVector256(source + 5 * (long)sourceStride),
            Avx.LoadVector256(source + 6 * (long)sourceStride), Avx.LoadVector256(source + 7 * (long)sourceStride));
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + stride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * stride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * stride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * stride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * stride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * stride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * stride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>
    /// Transposes 8 steps of a 6-row A sliver: destination[q·6 + r] = source[r·sourceStride + q]. Each step is
    /// stored as 8 floats in ascending order, so its two padding floats are overwritten by the next step; the last
    /// step stores exactly 6, never writing past the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeSixRows(float* source, int sourceStride, float* destination)
    {
        var row5 = Avx.LoadVector256(source + 5 * (long)sourceStride);
        var (s0, s1, s2, s3, s4, s5, s6, s7) = Interleave(
            Avx.LoadVector256(source), Avx.LoadVector256(source + sourceStride),
            Avx.LoadVector256(source + 2 * (long)sourceStride), Avx.LoadVector256(source + 3 * (long)sourceStride),
            Avx.LoadVector256(source + 4 * (long)sourceStride), row5, row5, row5);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + 6, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 12, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 18, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 24, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 30, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 36, Avx.Permute2x128(s2, s6, 0x31));
        var last = Avx.Permute2x128(s3, s7, 0x31);
        last.GetLower().Store(destination + 42);
        destination[46] = last.GetElement(4);
        destination[47] = last.GetElement(5);
    }

    /// <summary>
    /// The first two stages of an 8×8 transpose of rows r0…r7: sᵢ holds, in each 128-bit lane, element i (low lane)
    /// or i+4 (high lane) of rows 0–3 (s0–s3) or rows 4–7 (s4–s7); a lane swap then finishes the columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>,
        Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Interleave(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        return (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE),
            Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
    }
}
