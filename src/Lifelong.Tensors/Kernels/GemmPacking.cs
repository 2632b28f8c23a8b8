using System.Runtime.Intrinsics;

namespace Lifelong.Tensors.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the sliver layout the micro-kernel streams through.</summary>
/// <remarks>
/// A block (mc×kc) becomes ⌈mc/MR⌉ slivers, each kc steps of MR consecutive floats (one column of the sliver per
/// step). A B panel (kc×nc) becomes ⌈nc/NR⌉ slivers, each kc steps of NR consecutive floats (one row per step).
/// Rows and columns past the matrix edge are packed as zeros, so the micro-kernel always runs a full tile and
/// the transposes are absorbed here: the kernel never sees them.
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
                    int r = 0;
                    for (; r < rows; r++) sliver[r] = source[r];
                    for (; r < mr; r++) sliver[r] = 0f;
                }
            }
            else if (rows == mr)
            {
                // A is stored m×k: read MR rows side by side so the writes stay sequential.
                float* row0 = problem.A + (long)(ic + ir) * lda + pc;
                float* row1 = row0 + lda, row2 = row1 + lda, row3 = row2 + lda, row4 = row3 + lda, row5 = row4 + lda;
                for (int p = 0; p < kc; p++, sliver += mr)
                {
                    sliver[0] = row0[p];
                    sliver[1] = row1[p];
                    sliver[2] = row2[p];
                    sliver[3] = row3[p];
                    sliver[4] = row4[p];
                    sliver[5] = row5[p];
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
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            float* sliver = destination + (long)jr * kc;
            if (problem.TransB)
            {
                // B is stored n×k: each column of the sliver is a contiguous run of k; scatter it with stride NR.
                if (columns < nr) new Span<float>(sliver, kc * nr).Clear();
                for (int j = 0; j < columns; j++)
                {
                    float* column = problem.B + (long)(jc + jr + j) * ldb + pc;
                    float* target = sliver + j;
                    for (int p = 0; p < kc; p++) target[p * nr] = column[p];
                }
            }
            else
            {
                // B is stored k×n: each step of the sliver is a contiguous run of NR.
                float* source = problem.B + (long)pc * ldb + jc + jr;
                if (columns == nr && nr == 32)
                {
                    for (int p = 0; p < kc; p++, source += ldb, sliver += 32)
                    {
                        Vector256.Store(Vector256.Load(source), sliver);
                        Vector256.Store(Vector256.Load(source + 8), sliver + 8);
                        Vector256.Store(Vector256.Load(source + 16), sliver + 16);
                        Vector256.Store(Vector256.Load(source + 24), sliver + 24);
                    }
                }
                else if (columns == nr && nr == 16)
                {
                    for (int p = 0; p < kc; p++, source += ldb, sliver += 16)
                    {
                        Vector256.Store(Vector256.Load(source), sliver);
                        Vector256.Store(Vector256.Load(source + 8), sliver + 8);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, source += ldb, sliver += nr)
                    {
                        int j = 0;
                        for (; j < columns; j++) sliver[j] = source[j];
                        for (; j < nr; j++) sliver[j] = 0f;
                    }
                }
            }
        }
    }
}
