using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class DeltaMaskTests
{
    private static OrderedDictionary<string, Tensor> Deltas(Rng rng, params (string Name, int[] Shape)[] tensors)
    {
        var deltas = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in tensors)
        {
            var t = Tensor.Zeros(shape);
            rng.Split(name).FillNormal(t.Span, 0f, 1f);
            deltas[name] = t;
        }
        return deltas;
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Bernoulli_mask_keeps_a_fraction_q_within_binomial_bounds(double q)
    {
        var deltas = Deltas(new Rng(1), ("fc1.weight", [100, 200]), ("fc1.bias", [100]), ("head.weight", [10, 100]));
        var mask = DeltaMasks.Bernoulli(deltas, q, new Rng(2));
        long n = deltas.Values.Sum(d => (long)d.Size);
        // Kept count ~ Binomial(n, q): within 5 standard deviations of nq (fails by chance with probability < 1e-6).
        double kept = DeltaMasks.KeptFraction(mask) * n, sd = Math.Sqrt(n * q * (1 - q));
        Assert.InRange(kept, n * q - 5 * sd, n * q + 5 * sd);
        Assert.All(mask.Values, m => Assert.All(m.ToArray(), v => Assert.True(v is 0f or 1f)));
    }

    [Fact]
    public void Bernoulli_mask_does_not_depend_on_parameter_order_and_differs_between_streams()
    {
        var forward = Deltas(new Rng(1), ("a", [50]), ("b", [60]));
        var backward = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["b"] = forward["b"], ["a"] = forward["a"] };
        var m1 = DeltaMasks.Bernoulli(forward, 0.3, new Rng(5));
        var m2 = DeltaMasks.Bernoulli(backward, 0.3, new Rng(5));
        var m3 = DeltaMasks.Bernoulli(forward, 0.3, new Rng(6));
        Assert.Equal(m1["a"].ToArray(), m2["a"].ToArray());
        Assert.Equal(m1["b"].ToArray(), m2["b"].ToArray());
        Assert.NotEqual(m1["a"].ToArray(), m3["a"].ToArray());
    }

    [Fact]
    public void Magnitude_mask_keeps_the_largest_deltas_of_each_tensor()
    {
        var deltas = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["w"] = Tensor.FromArray([0.1f, -5f, 2f, 0.3f], 4),
            ["v"] = Tensor.FromArray([1e-3f, -2e-3f], 2),
        };
        var mask = DeltaMasks.Build(deltas, 0.5, MaskSelection.Magnitude, MaskGroups.Coordinates, new Rng(0));
        Assert.Equal([0f, 1f, 1f, 0f], mask["w"].ToArray());   // |−5| and |2|
        Assert.Equal([0f, 1f], mask["v"].ToArray());           // each tensor keeps its own half, however small
    }

    [Fact]
    public void Fisher_mask_keeps_the_largest_fisher_times_squared_delta()
    {
        var deltas = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = Tensor.FromArray([1f, 2f, 3f, 4f], 4) };
        var fisher = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = Tensor.FromArray([10f, 1f, 0f, 0.5f], 4) };
        // F·δ² = 10, 4, 0, 8: keep the top 2 → coordinates 0 and 3.
        var mask = DeltaMasks.Build(deltas, 0.5, MaskSelection.Fisher, MaskGroups.Coordinates, new Rng(0), fisher);
        Assert.Equal([1f, 0f, 0f, 1f], mask["w"].ToArray());
    }

    [Fact]
    public void Unit_mask_keeps_or_drops_a_weight_row_together_with_its_bias()
    {
        var deltas = Deltas(new Rng(3), ("fc1.weight", [40, 7]), ("fc1.bias", [40]), ("norm.weight", [5]));
        var mask = DeltaMasks.Build(deltas, 0.5, MaskSelection.Random, MaskGroups.Units, new Rng(4));
        var w = mask["fc1.weight"].ToArray();
        var b = mask["fc1.bias"].ToArray();
        for (int row = 0; row < 40; row++)
            Assert.All(w.Skip(row * 7).Take(7), v => Assert.Equal(b[row], v));
        Assert.Contains(0f, b);
        Assert.Contains(1f, b);
    }

    [Fact]
    public void Head_mask_keeps_a_heads_qkv_rows_and_proj_columns_together()
    {
        const int dim = 8, heads = 2, headDim = 4;
        var deltas = Deltas(new Rng(3), ("blocks.0.attn.qkv.weight", [3 * dim, dim]), ("blocks.0.attn.qkv.bias", [3 * dim]),
            ("blocks.0.attn.proj.weight", [dim, dim]), ("blocks.0.attn.proj.bias", [dim]));
        // Magnitude over groups: make head 1 dominate so exactly it is kept at q = 0.5.
        foreach (var name in new[] { "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias" })
        {
            var span = deltas[name].Span;
            int rowSize = deltas[name].Size / (3 * dim);
            for (int i = 0; i < span.Length; i++) if (i / rowSize % dim / headDim == 1) span[i] = 100f;
        }
        var mask = DeltaMasks.Build(deltas, 0.5, MaskSelection.Magnitude, MaskGroups.Heads, new Rng(0), heads: heads);
        var qkv = mask["blocks.0.attn.qkv.weight"].ToArray();
        for (int r = 0; r < 3 * dim; r++)
            Assert.All(qkv.Skip(r * dim).Take(dim), v => Assert.Equal(r % dim / headDim == 1 ? 1f : 0f, v));
        var proj = mask["blocks.0.attn.proj.weight"].ToArray();
        for (int i = 0; i < proj.Length; i++) Assert.Equal(i % dim / headDim == 1 ? 1f : 0f, proj[i]);
    }

    [Fact]
    public void Dare_rescale_multiplies_kept_deltas_by_one_over_q()
    {
        var deltas = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = Tensor.FromArray([1f, 2f, 3f], 3) };
        var masks = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = Tensor.FromArray([1f, 0f, 1f], 3) };
        Assert.Equal([4f, 0f, 12f], DeltaMasks.Apply(masks, deltas, 1f / 0.25f)["w"].ToArray());
    }

    [Fact]
    public void Default_keep_is_one_over_the_number_of_tasks()
    {
        Assert.Equal(0.2, DeltaMasks.DefaultKeep(5));
        Assert.Equal(1.0, DeltaMasks.DefaultKeep(1));
    }
}
