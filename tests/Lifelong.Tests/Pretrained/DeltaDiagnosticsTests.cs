using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class DeltaDiagnosticsTests
{
    private static readonly OrderedDictionary<string, Tensor> Shapes = new(StringComparer.Ordinal)
    {
        ["fc.weight"] = Tensor.Zeros(200, 300),
        ["fc.bias"] = Tensor.Zeros(200),
    };

    [Theory]
    [InlineData(0.9, 5)]    // mask rate 10 %: the digest's 99.96 %
    [InlineData(0.2, 5)]
    [InlineData(0.1, 10)]
    [InlineData(0.05, 3)]
    public void Measured_collision_rate_matches_the_closed_form(double q, int tasks)
    {
        var masks = Enumerable.Range(0, tasks).Select(t => (IReadOnlyDictionary<string, Tensor>)DeltaMasks.Bernoulli(Shapes, q, new Rng(100).Split(t))).ToList();
        double measured = DeltaDiagnostics.CollisionRate(masks);
        double expected = DeltaDiagnostics.ExpectedCollisionRate(Enumerable.Repeat(q, tasks).ToList());
        // The rate is a ratio of counts over n = 60,200 coordinates; k = kept-by-any ≈ n(1 − p^T). Its standard error is about
        // √(r(1 − r)/k); allow 5 of them plus a small ratio-bias allowance.
        double any = 1 - Math.Pow(1 - q, tasks), kept = 60_200 * any;
        double tolerance = 5 * Math.Sqrt(expected * (1 - expected) / kept) + 1e-3;
        Assert.InRange(measured, expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Closed_form_matches_the_known_values()
    {
        // p = 0.1, T = 5: (1 − p⁵ − 5·0.9·p⁴)/(1 − p⁵) = 0.99955; p = 0.9: 0.199 (T = 5), 0.405 (T = 10).
        Assert.Equal(0.99955, DeltaDiagnostics.ExpectedCollisionRate([0.9, 0.9, 0.9, 0.9, 0.9]), 5);
        Assert.Equal(0.199, DeltaDiagnostics.ExpectedCollisionRate(Enumerable.Repeat(0.1, 5).ToList()), 3);
        Assert.Equal(0.405, DeltaDiagnostics.ExpectedCollisionRate(Enumerable.Repeat(0.1, 10).ToList()), 3);
        Assert.Equal(0, DeltaDiagnostics.ExpectedCollisionRate([0.3]), 12);
    }

    [Fact]
    public void Collision_rate_counts_coordinates_kept_twice_among_those_kept_at_all()
    {
        var a = new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 1f, 0f, 0f], 4) };
        var b = new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 0f, 1f, 0f], 4) };
        Assert.Equal(1.0 / 3.0, DeltaDiagnostics.CollisionRate([a, b]), 12);   // kept: 0, 1, 2; twice: 0
    }

    [Fact]
    public void Cosine_of_disjointly_masked_deltas_is_zero_and_of_equal_ones_is_one()
    {
        var a = new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([3f, 0f, 0f], 3), ["b"] = Tensor.FromArray([4f], 1) };
        var b = new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([0f, 2f, 0f], 3), ["b"] = Tensor.FromArray([0f], 1) };
        var c = new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([3f, 2f, 0f], 3), ["b"] = Tensor.FromArray([0f], 1) };
        Assert.Equal(0, DeltaDiagnostics.Cosine(a, b));
        Assert.Equal(1, DeltaDiagnostics.Cosine(a, a), 12);
        Assert.Equal(9 / (5 * Math.Sqrt(13)), DeltaDiagnostics.Cosine(a, c), 12);   // ⟨a,c⟩ = 9, ‖a‖ = 5, ‖c‖ = √13
        Assert.Equal((0 + 9 / (5 * Math.Sqrt(13)) + 4 / (2 * Math.Sqrt(13))) / 3, DeltaDiagnostics.MeanPairwiseCosine([a, b, c]), 12);
    }
}
