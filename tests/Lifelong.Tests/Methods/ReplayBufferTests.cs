using Lifelong.Methods;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.ForgettingMethods;

public class ReplayBufferTests
{
    private static TrainingBatch Rows(int from, int count, Func<int, int> label) =>
        new([.. Enumerable.Range(from, count).Select(i => (float)i)], [count, 1], [.. Enumerable.Range(from, count).Select(label)], new int[count]);

    [Fact]
    public void A_reservoir_keeps_every_sample_seen_with_equal_probability()
    {
        const int stream = 200, capacity = 20, trials = 3000;
        var counts = new int[stream];
        var rng = new Rng(11);
        for (int trial = 0; trial < trials; trial++)
        {
            var buffer = new ReplayBuffer(capacity, BufferPolicy.Reservoir, rng.Split(trial));
            for (int i = 0; i < stream; i += 10) buffer.Add(Rows(i, 10, _ => 0));
            foreach (var x in buffer.All().Batch.Inputs) counts[(int)x]++;
        }
        // Pearson's χ² against the uniform expectation trials·|M|/n = 300 per sample; 199 degrees of freedom,
        // so χ² has mean 199 and standard deviation √398 ≈ 20; 300 is five standard deviations out.
        double expected = (double)trials * capacity / stream;
        double chiSquare = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chiSquare < 300, $"χ² = {chiSquare:F1} over {stream - 1} degrees of freedom");
        Assert.True(chiSquare > 120, $"χ² = {chiSquare:F1} is too good to be random");
    }

    [Theory]
    [InlineData(BufferPolicy.ClassBalanced)]
    [InlineData(BufferPolicy.Greedy)]
    public void A_class_balanced_memory_keeps_equal_shares_of_an_imbalanced_stream(BufferPolicy policy)
    {
        var buffer = new ReplayBuffer(100, policy, new Rng(3));
        // 900 rows of class 0 first, then 100 of class 1, then 300 of class 2.
        buffer.Add(Rows(0, 900, _ => 0));
        buffer.Add(Rows(900, 100, _ => 1));
        buffer.Add(Rows(1000, 300, _ => 2));
        var perClass = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, buffer.Count).Count(s => buffer.LabelAt(s) == c)).ToArray();
        Assert.Equal(100, buffer.Count);
        Assert.All(perClass, n => Assert.InRange(n, 33, 34));
    }

    [Fact]
    public void A_saved_and_loaded_buffer_draws_the_same_samples()
    {
        var original = new ReplayBuffer(30, BufferPolicy.Reservoir, new Rng(4));
        original.Add(Rows(0, 100, i => i % 3), Tensor.FromArray([.. Enumerable.Range(0, 200).Select(i => (float)i)], 100, 2));
        var state = new MethodState();
        original.Save(state, "buffer");
        var restored = new ReplayBuffer(30, BufferPolicy.Reservoir, new Rng(4));
        restored.Load(state, "buffer");

        original.Add(Rows(100, 50, i => i % 3), Tensor.Zeros(50, 2));
        restored.Add(Rows(100, 50, i => i % 3), Tensor.Zeros(50, 2));
        var (a, la) = original.Sample(10);
        var (b, lb) = restored.Sample(10);
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(la!.ToArray(), lb!.ToArray());
    }
}
