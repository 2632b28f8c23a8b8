using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors.Tests.Kernels;

public class GemmTests
{
    // Every micro-kernel this machine can run (the 128-bit one runs everywhere, in software without SIMD).
    private static readonly GemmIsa[] s_isas =
        [.. new[] { GemmIsa.Avx512, GemmIsa.Avx2, GemmIsa.Vector128 }.Where(GemmMicroKernel.IsSupported)];

    // All three, whether or not this machine accelerates them: the others run in software (GemmOptions.Emulate).
    private static readonly GemmIsa[] s_everyIsa = [GemmIsa.Avx512, GemmIsa.Avx2, GemmIsa.Vector128];

    // The packed kernel and, where the machine has AVX-512, the unpacked small-side kernels, each forced on every shape.
    private static readonly GemmPath[] s_paths = [GemmPath.Packed, GemmPath.Direct];

    private static readonly (bool TransA, bool TransB)[] s_transposes = [(false, false), (false, true), (true, false), (true, true)];

    public static TheoryData<int, int, int> RaggedShapes()
    {
        int mr = GemmMicroKernel.Mr;
        var shapes = new TheoryData<int, int, int> { { 1, 1, 1 }, { 7, 13, 5 }, { 1, 100, 3 }, { 100, 1, 3 }, { 3, 5, 300 } };
        // Tile ± 1 in every dimension, for both tile widths (32 floats for AVX-512, 16 for AVX2).
        // Every count of rows a last tile can have (1–6): the AVX2 kernel runs 1–2 and 3–4 of them in narrower tiles.
        foreach (int m in new[] { mr - 1, mr, mr + 1, 2 * mr + 1, 2 * mr + 2, 2 * mr + 3, 2 * mr + 4 })
        {
            foreach (int n in new[] { 15, 16, 17, 31, 32, 33 })
            {
                shapes.Add(m, n, 9);
            }
        }
        foreach (int k in new[] { GemmBlocked.Kc - 1, GemmBlocked.Kc, GemmBlocked.Kc + 1 })
        {
            shapes.Add(mr + 1, 33, k);
        }
        return shapes;
    }

    [Theory]
    [MemberData(nameof(RaggedShapes))]
    public void Matches_reference_on_ragged_shapes(int m, int n, int k)
    {
        foreach (var isa in s_isas)
        {
            foreach (var (transA, transB) in s_transposes)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    foreach (int threads in new[] { 1, 2 })
                    {
                        foreach (var path in s_paths)
                        {
                            var options = new GemmOptions(isa, threads, UseTinyPath: false, path);
                            CheckAgainstReference(options, transA, transB, m, n, k, accumulate, padding: 0, seed: (ulong)(m * 1_000_000 + n * 1000 + k));
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(2 * GemmBlocked.Mc + 7, 2 * 32 + 5, 2 * GemmBlocked.Kc + 3)]
    [InlineData(7, GemmBlocked.Nc + 33, 10)]
    public void Matches_reference_on_shapes_spanning_several_cache_blocks(int m, int n, int k)
    {
        foreach (var (transA, transB) in s_transposes)
        {
            CheckAgainstReference(new GemmOptions(GemmIsa.Auto, Threads: 2), transA, transB, m, n, k, accumulate: true, padding: 0, seed: 7);
        }
    }

    [Fact]
    public void Matches_reference_on_submatrices_with_leading_dimensions_wider_than_the_matrix()
    {
        foreach (var isa in s_isas)
        {
            foreach (var (transA, transB) in s_transposes)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    foreach (var path in s_paths)
                        CheckAgainstReference(new GemmOptions(isa, 2, UseTinyPath: false, path), transA, transB, 13, 37, 21, accumulate, padding: 5, seed: 11);
                }
            }
        }
    }

    /// <summary>The products of a 784-100-100-10 MLP step at batch 16 (x·Wᵀ forward, dY·W and dYᵀ·X backward), ± 1 around
    /// them, and k around one vector (15, 16, 17, 33), through the default choice of kernel.</summary>
    [Theory]
    [InlineData(false, true, 16, 100, 784)]
    [InlineData(false, true, 16, 10, 100)]
    [InlineData(false, true, 17, 101, 785)]
    [InlineData(false, true, 15, 9, 15)]
    [InlineData(false, true, 5, 7, 16)]
    [InlineData(false, true, 3, 33, 17)]
    [InlineData(false, true, 32, 40, 33)]
    [InlineData(false, false, 16, 100, 100)]
    [InlineData(false, false, 16, 784, 10)]
    [InlineData(false, false, 33, 65, 120)]
    [InlineData(true, false, 100, 784, 16)]
    [InlineData(true, false, 10, 100, 16)]
    [InlineData(true, false, 101, 785, 17)]
    [InlineData(true, false, 40, 47, 31)]
    public void Small_side_products_match_reference(bool transA, bool transB, int m, int n, int k)
    {
        foreach (int threads in new[] { 0, 1, 2, 3 })
        {
            foreach (bool accumulate in new[] { false, true })
                CheckAgainstReference(new GemmOptions(Threads: threads), transA, transB, m, n, k, accumulate, padding: 0, seed: (ulong)(m + n + k));
        }
        CheckAgainstReference(new GemmOptions(Threads: 2), transA, transB, m, n, k, accumulate: true, padding: 3, seed: 9);
    }

    [Fact]
    public void Direct_kernels_give_bit_identical_results_whatever_the_split()
    {
        // Split over columns (m < n) and rows (m > n), in 1, 2 and 3 ranges, for each orientation with a direct kernel.
        foreach (var (transA, transB, m, n, k) in new[] { (false, true, 16, 100, 784), (false, false, 16, 100, 100), (true, false, 100, 784, 16), (true, false, 100, 30, 16), (false, false, 31, 9, 70) })
        {
            var (a, b, c0) = RandomOperands(m, n, k, padding: 0, seed: 13);
            float[] serial = Run(new GemmOptions(Threads: 1, Path: GemmPath.Direct), transA, transB, m, n, k, a, b, c0, accumulate: true, padding: 0);
            Assert.Equal(serial, Run(new GemmOptions(Threads: 2, Path: GemmPath.Direct), transA, transB, m, n, k, a, b, c0, accumulate: true, padding: 0));
            Assert.Equal(serial, Run(new GemmOptions(Threads: 3, Path: GemmPath.Direct), transA, transB, m, n, k, a, b, c0, accumulate: true, padding: 0));
        }
    }

    /// <summary>Every kernel on every instruction set gives the bits of the defined order, written out here one element at a
    /// time: k cut into blocks by <see cref="GemmBlocked.KcStep"/>, each block summed by FMAs from zero and added to C.
    /// The instruction sets this machine lacks run in software (on the 2-core AVX2 EPYC: AVX-512, packed and direct).</summary>
    [Fact]
    public void Every_kernel_and_instruction_set_gives_the_bits_of_the_defined_order()
    {
        foreach (var (m, n, k) in new[] { (7, 13, 5), (16, 100, 300), (13, 33, 257), (40, 17, 600), (1, 9, 784), (5, 31, 9), (6, 32, 16), (12, 63, 255), (2, 17, 40), (3, 16, 5), (10, 47, 260), (128, 20, 30) })
        {
            foreach (var (transA, transB) in s_transposes)
            {
                foreach (bool accumulate in new[] { false, true })
                {
                    var (a, b, c0) = RandomOperands(m, n, k, padding: 1, seed: (ulong)(m * n + k));
                    float[] expected = Ordered(transA, transB, m, n, k, a, b, c0, accumulate, padding: 1);
                    foreach (var isa in s_everyIsa)
                    {
                        foreach (var path in s_paths)
                        {
                            foreach (int threads in new[] { 1, 2 })
                            {
                                var options = new GemmOptions(isa, threads, UseTinyPath: false, Path: path, Emulate: !GemmMicroKernel.IsSupported(isa));
                                Assert.Equal(expected, Run(options, transA, transB, m, n, k, a, b, c0, accumulate, padding: 1));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The defined order, one element at a time with <see cref="MathF.FusedMultiplyAdd"/>.</summary>
    private static float[] Ordered(bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[] c0, bool accumulate, int padding)
    {
        int lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding;
        float[] c = (float[])c0.Clone();
        int step = GemmBlocked.KcStep(k);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int start = 0; start < k; start += step)
                {
                    float block = 0f;
                    for (int p = start; p < Math.Min(k, start + step); p++)
                        block = MathF.FusedMultiplyAdd(transA ? a[p * lda + i] : a[i * lda + p], transB ? b[j * ldb + p] : b[p * ldb + j], block);
                    c[i * ldc + j] = accumulate || start > 0 ? c[i * ldc + j] + block : block;
                }
            }
        }
        return c;
    }

    [Fact]
    public void Default_entry_point_matches_reference_on_tiny_and_large_shapes()
    {
        CheckAgainstReference(GemmOptions.Default, false, false, 2, 3, 4, accumulate: false, padding: 0, seed: 1);
        CheckAgainstReference(GemmOptions.Default, true, true, 70, 90, 110, accumulate: true, padding: 3, seed: 2);
    }

    [Fact]
    public void Repeated_calls_are_bit_identical()
    {
        var (a, b, c0) = RandomOperands(150, 170, 300, padding: 0, seed: 3);
        float[] first = Run(GemmOptions.Default, false, true, 150, 170, 300, a, b, c0, accumulate: true, padding: 0);
        float[] second = Run(GemmOptions.Default, false, true, 150, 170, 300, a, b, c0, accumulate: true, padding: 0);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Parallel_and_serial_results_are_bit_identical()
    {
        // The split only decides which thread computes a tile, never how: 1, 2 and 3 ranges, over rows (m > n) and columns (m < n).
        foreach (var isa in s_isas.Where(isa => isa != GemmIsa.Vector128))
        {
            foreach (var (m, n, k) in new[] { (301, 45, 270), (45, 301, 270) })
            {
                foreach (var (transA, transB) in s_transposes)
                {
                    var (a, b, c0) = RandomOperands(m, n, k, padding: 0, seed: 5);
                    float[] serial = Run(new GemmOptions(isa, 1), transA, transB, m, n, k, a, b, c0, accumulate: false, padding: 0);
                    Assert.Equal(serial, Run(new GemmOptions(isa, 2), transA, transB, m, n, k, a, b, c0, accumulate: false, padding: 0));
                    Assert.Equal(serial, Run(new GemmOptions(isa, 3), transA, transB, m, n, k, a, b, c0, accumulate: false, padding: 0));
                }
            }
        }
    }

    [Fact]
    public void Empty_inner_dimension_clears_or_keeps_the_output()
    {
        float[] c = [1f, 2f, 3f, 4f];
        Gemm.Sgemm(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: true);
        Assert.Equal([1f, 2f, 3f, 4f], c);
        Gemm.Sgemm(false, false, 2, 2, 0, [], 0, [], 2, c, 2, accumulate: false);
        Assert.Equal([0f, 0f, 0f, 0f], c);
    }

    [Fact]
    public void Rejects_spans_too_short_for_the_shape()
    {
        float[] a = new float[6], b = new float[6], c = new float[3];
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 2, 2, 3, a, 3, b, 2, c, 2, accumulate: false));
    }

    /// <summary>
    /// Runs the kernel and the double-precision reference on the same operands and checks every element against
    /// |c − ref| ≤ 1e-5·(|C₀| + Σₚ|a_ip||b_pj|) + 1e-6: float rounding of a k-term sum grows with the magnitudes summed,
    /// not with the (possibly cancelling) result.
    /// </summary>
    private static void CheckAgainstReference(GemmOptions options, bool transA, bool transB, int m, int n, int k,
        bool accumulate, int padding, ulong seed)
    {
        var (a, b, c0) = RandomOperands(m, n, k, padding, seed);
        float[] actual = Run(options, transA, transB, m, n, k, a, b, c0, accumulate, padding);

        int lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding;
        float[] expected = (float[])c0.Clone();
        GemmReference.Sgemm(transA, transB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
        float[] magnitude = [.. c0.Select(x => accumulate ? Math.Abs(x) : 0f)];
        GemmReference.Sgemm(transA, transB, m, n, k, [.. a.Select(Math.Abs)], lda, [.. b.Select(Math.Abs)], ldb, magnitude, ldc, accumulate: true);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                int at = i * ldc + j;
                double tolerance = 1e-5 * magnitude[at] + 1e-6;
                Assert.True(Math.Abs(actual[at] - expected[at]) <= tolerance,
                    $"{options} transA={transA} transB={transB} {m}×{n}×{k} accumulate={accumulate}: C[{i},{j}] = {actual[at]}, reference {expected[at]}");
            }
        }
        // Padding columns of C lie outside the product and must be left alone.
        for (int i = 0; i < m; i++)
        {
            for (int j = n; j < ldc && i * ldc + j < c0.Length; j++) Assert.Equal(c0[i * ldc + j], actual[i * ldc + j]);
        }
    }

    private static float[] Run(GemmOptions options, bool transA, bool transB, int m, int n, int k,
        float[] a, float[] b, float[] c0, bool accumulate, int padding)
    {
        int lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding;
        float[] c = (float[])c0.Clone();
        Gemm.Sgemm(options, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        return c;
    }

    /// <summary>A and B with room for either orientation plus padding columns; C pre-filled so accumulate and padding are visible.</summary>
    private static (float[] A, float[] B, float[] C) RandomOperands(int m, int n, int k, int padding, ulong seed)
    {
        var rng = new Rng(seed);
        int aSize = (Math.Max(m, k) + padding) * Math.Max(m, k), bSize = (Math.Max(k, n) + padding) * Math.Max(k, n);
        float[] a = new float[aSize], b = new float[bSize], c = new float[m * (n + padding)];
        rng.FillUniform(a, -1f, 1f);
        rng.FillUniform(b, -1f, 1f);
        rng.FillUniform(c, -1f, 1f);
        return (a, b, c);
    }
}
