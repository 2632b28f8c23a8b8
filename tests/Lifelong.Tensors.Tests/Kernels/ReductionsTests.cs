using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors.Tests.Kernels;

/// <summary>The fixed-order sums: the vector path this machine runs gives the bits of the definition written one lane at a
/// time, and the result is as accurate as a float sum should be.</summary>
public class ReductionsTests
{
    public static TheoryData<int> Lengths() => [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 64, 100, 1000, 4099];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sum_and_dot_give_the_bits_of_the_sixteen_lane_definition(int n)
    {
        var (x, y) = (Random(n, 1), Random(n, 2));
        Assert.Equal(Reductions.SumReference(x, x, products: false), Reductions.Sum(x));
        Assert.Equal(Reductions.SumReference(x, y, products: true), Reductions.Dot(x, y));
        Assert.Equal(Reductions.SumReference(x, x, products: true), Reductions.SumOfSquares(x));
    }

    /// <summary>Each width's path, whether or not this machine accelerates it (a width it lacks runs in software with the
    /// same roundings), so the AVX-512 path is checked on machines without AVX-512, and the 128-bit one on machines with it.</summary>
    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_vector_width_gives_the_same_bits(int n)
    {
        var (x, y) = (Random(n, 3), Random(n, 4));
        float sum = Reductions.SumReference(x, x, products: false), dot = Reductions.SumReference(x, y, products: true);
        foreach (var width in new[] { VectorWidth.Bits128, VectorWidth.Bits256, VectorWidth.Bits512 })
        {
            Assert.Equal(sum, Reductions.Sum(x, width));
            Assert.Equal(dot, Reductions.Dot(x, y, width));
        }
    }

    [Fact]
    public void The_lanes_fold_in_the_stated_tree()
    {
        // x₀ = 2²⁵ and ones at 1, 5 and 9. Lane 1 folds to 1 + 1 (lanes 1 and 9), then + 1 (lane 5): 3, which survives
        // 2²⁵ + 3 → 2²⁵ + 4 (floats are 4 apart there). Adding in index order would lose each 1 against 2²⁵ in turn.
        var x = new float[16];
        x[0] = 1 << 25;
        x[1] = x[5] = x[9] = 1f;
        Assert.Equal((1 << 25) + 4f, Reductions.Sum(x));
        Assert.Equal((1 << 25) + 4f, Reductions.SumReference(x, x, products: false));
        float inOrder = 0f;
        foreach (float v in x) inOrder += v;
        Assert.Equal(1 << 25, inOrder);
    }

    [Fact]
    public void Sums_are_as_accurate_as_float_allows()
    {
        var x = Random(10_000, 3);
        double exact = x.Sum(v => (double)v), magnitude = x.Sum(v => Math.Abs((double)v));
        Assert.InRange(Math.Abs(Reductions.Sum(x) - exact), 0, 1e-6 * magnitude);
        double dot = x.Sum(v => (double)v * v);
        Assert.InRange(Math.Abs(Reductions.SumOfSquares(x) - dot), 0, 1e-6 * dot);
    }

    private static float[] Random(int n, ulong seed)
    {
        var values = new float[n];
        new Rng(seed).FillUniform(values, -1f, 1f);
        return values;
    }
}
