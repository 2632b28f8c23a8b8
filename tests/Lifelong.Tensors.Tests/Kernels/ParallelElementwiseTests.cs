using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors.Tests.Kernels;

/// <summary>The elementwise passes split across threads give, for every split, the bits of the same pass on one thread
/// (<c>TensorPrimitives</c>' over the whole span; ReLU's backward written element by element).</summary>
public class ParallelElementwiseTests
{
    public static TheoryData<int, int> Splits() => new()
    {
        { 0, 2 }, { 1, 2 }, { 63, 2 }, { 64, 3 }, { 1000, 2 }, { 1000, 7 }, { 4099, 4 }, { 131_073, 2 }, { 200_003, 3 },
    };

    [Theory]
    [MemberData(nameof(Splits))]
    public void Relu_gives_the_same_bits_for_every_split(int length, int parts)
    {
        var x = Signed(length, 1);
        var expected = new float[length];
        TensorPrimitives.Max(x, 0f, expected);
        foreach (int split in new[] { 1, parts })
        {
            var y = new float[length];
            ParallelElementwise.Relu(x, y, split);
            Assert.Equal(Bits(expected), Bits(y));
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Relu_backward_gives_the_same_bits_for_every_split(int length, int parts)
    {
        var (x, dy) = (Signed(length, 2), Signed(length, 3));
        // dy·1 or dy·0: a negative dy where x ≤ 0 gives −0, as the composite dy ⊙ 1[x > 0] does.
        var expected = x.Zip(dy, (v, g) => g * (v > 0f ? 1f : 0f)).ToArray();
        foreach (int split in new[] { 1, parts })
        {
            var dx = new float[length];
            ParallelElementwise.ReluBackward(x, dy, dx, split);
            Assert.Equal(Bits(expected), Bits(dx));
        }
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Multiply_add_in_place_gives_the_same_bits_for_every_split(int length, int parts)
    {
        var (g, theta) = (Signed(length, 4), Signed(length, 5));
        var expected = new float[length];
        TensorPrimitives.MultiplyAdd(g, -0.01f, theta, expected);
        foreach (int split in new[] { 1, parts })
        {
            var updated = (float[])theta.Clone();
            ParallelElementwise.MultiplyAdd(g, -0.01f, updated, updated, split);   // θ ← θ − η·g, as Sgd does
            Assert.Equal(Bits(expected), Bits(updated));
        }
    }

    [Fact]
    public void Large_passes_are_split_by_the_core_count_and_small_ones_are_not()
    {
        Assert.Equal(1, ParallelElementwise.Parts(2 * ParallelElementwise.MinPerPart - 1));
        Assert.Equal(Math.Min(2, EngineInfo.Threads), ParallelElementwise.Parts(2 * ParallelElementwise.MinPerPart));
        Assert.Equal(EngineInfo.Threads, ParallelElementwise.Parts(int.MaxValue));
    }

    [Fact]
    public void Mismatched_lengths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Elementwise.MultiplyAdd(new float[4], 1f, new float[3], new float[4]));
        Assert.Contains("second input of 3", error.Message);
        Assert.Throws<ArgumentException>(() => ParallelElementwise.ReluBackward(new float[4], new float[4], new float[2]));
    }

    /// <summary>Values in [−1, 1) with exact zeros, negative zeros and a NaN mixed in, so the masks see every case.</summary>
    private static float[] Signed(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (i % 11) switch { 3 => 0f, 7 => -0f, _ => random.NextSingle() * 2f - 1f };
            if (i == length / 2 && length > 10) values[i] = float.NaN;
        }
        return values;
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
