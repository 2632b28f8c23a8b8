using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class DeltaMergeTests
{
    private static OrderedDictionary<string, Tensor> One(string name, params float[] values) =>
        new(StringComparer.Ordinal) { [name] = Tensor.FromArray(values, values.Length) };

    [Fact]
    public void Merge_is_theta0_plus_the_weighted_masked_deltas_exactly()
    {
        // θ₀ = [1, 2, 3, 4]; s₀ = [0.5, 0, −1, 0], c₀ = 1; s₁ = [0.25, 2, 0, 0], c₁ = 2
        // θ = θ₀ + s₀ + 2s₁ = [2, 6, 2, 4] (every value exactly representable).
        var merge = new DeltaMerge(One("w", 1f, 2f, 3f, 4f));
        merge.Add(One("w", 0.5f, 0f, -1f, 0f));
        Assert.Equal([1.5f, 2f, 2f, 4f], merge.Merged()["w"].ToArray());
        merge.Add(One("w", 0.25f, 2f, 0f, 0f), coefficient: 2f);
        Assert.Equal([2f, 6f, 2f, 4f], merge.Merged()["w"].ToArray());
        Assert.Equal(2, merge.Tasks);
    }

    [Fact]
    public void Incremental_merge_equals_the_elementwise_formula_bit_for_bit_on_random_values()
    {
        var rng = new Rng(9);
        var theta0 = Tensor.Zeros(1000);
        rng.Split("p0").FillNormal(theta0.Span, 0f, 1f);
        var merge = new DeltaMerge(new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = theta0 });
        float[] coefficients = [1f, 0.5f, 1.7f];
        var masked = new List<float[]>();
        for (int t = 0; t < coefficients.Length; t++)
        {
            var tuned = theta0.Clone();
            var noise = Tensor.Zeros(1000);
            rng.Split($"delta/{t}").FillNormal(noise.Span, 0f, 0.1f);
            for (int i = 0; i < 1000; i++) tuned.Span[i] += noise.Span[i];
            var delta = merge.Delta(new Dictionary<string, Tensor> { ["w"] = tuned });
            var mask = DeltaMasks.Bernoulli(delta, 0.3, rng.Split($"mask/{t}"));
            var s = DeltaMasks.Apply(mask, delta, 1f / 0.3f);
            masked.Add(s["w"].ToArray());
            merge.Add(s, coefficients[t]);
        }
        var merged = merge.Merged()["w"].ToArray();
        for (int i = 0; i < 1000; i++)
        {
            float sum = 0f;
            for (int t = 0; t < coefficients.Length; t++) sum += coefficients[t] * masked[t][i];
            Assert.Equal(theta0.Span[i] + sum, merged[i]);
        }
    }

    [Fact]
    public void Restore_brings_back_a_saved_sum()
    {
        var merge = new DeltaMerge(One("w", 1f, 1f));
        merge.Add(One("w", 1f, -1f));
        var copy = new DeltaMerge(One("w", 1f, 1f));
        copy.Restore(merge.Sum, merge.Tasks);
        Assert.Equal(merge.Merged()["w"].ToArray(), copy.Merged()["w"].ToArray());
        Assert.Equal(1, copy.Tasks);
    }
}
