using Lifelong.Tensors;

namespace Lifelong.Tensors.Tests;

public class RngTests
{
    [Fact]
    public void Equal_seeds_give_equal_streams_and_named_splits_are_independent_of_consumption()
    {
        var a = new Rng(9);
        var b = new Rng(9);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var splitBefore = new Rng(9).Split("init").NextUInt64();
        Assert.Equal(splitBefore, a.Split("init").NextUInt64());   // a has drawn already; the split does not care
        Assert.NotEqual(a.Split("init").NextUInt64(), a.Split("data").NextUInt64());
    }

    [Fact]
    public void State_round_trip_resumes_the_stream()
    {
        var rng = new Rng(1);
        rng.NextUInt64();
        var state = rng.GetState();
        var expected = rng.NextUInt64();
        var restored = new Rng(1);
        restored.SetState(state);
        Assert.Equal(expected, restored.NextUInt64());
    }

    [Fact]
    public void Samples_have_the_requested_moments_and_permutations_are_permutations()
    {
        var rng = new Rng(2);
        var normal = Tensor.Normal(new Shape(100_000), 1f, 2f, rng);
        Assert.Equal(1f, normal.Mean().Item(), 1);
        Assert.Equal(4f, normal.Var(0).Item(), 1);
        var uniform = Tensor.Uniform(new Shape(100_000), -1f, 3f, rng);
        Assert.InRange(uniform.Mean().Item(), 0.98f, 1.02f);
        Assert.True(uniform.Span.ToArray().All(v => v >= -1f && v < 3f));
        var perm = rng.Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), perm.Order());
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
