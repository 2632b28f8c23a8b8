using Lifelong.Methods;
using Lifelong.Tensors;

namespace Lifelong.Tests.ForgettingMethods;

public class AgemTests
{
    [Fact]
    public void The_projection_matches_the_formula_when_the_gradients_conflict()
    {
        // g = (1, 0), g_ref = (−1, 1): gᵀg_ref = −1, g_refᵀg_ref = 2, g̃ = g − (−1/2)·g_ref = (0.5, 0.5).
        float[] g = [1f, 0f];
        Assert.True(Agem.Project(g, [-1f, 1f]));
        Assert.Equal([0.5f, 0.5f], g);
    }

    [Fact]
    public void A_gradient_that_agrees_with_the_reference_is_left_alone()
    {
        float[] g = [1f, 2f, -3f];
        Assert.False(Agem.Project(g, [1f, 1f, 0f]));
        Assert.Equal([1f, 2f, -3f], g);
    }

    [Fact]
    public void The_projected_gradient_never_has_a_negative_inner_product_with_the_reference()
    {
        var rng = new Rng(8);
        for (int trial = 0; trial < 500; trial++)
        {
            int n = 1 + rng.NextInt(50);
            var g = new float[n];
            var reference = new float[n];
            rng.FillNormal(g, 0, 1);
            rng.FillNormal(reference, 0, 1);
            Agem.Project(g, reference);
            double dot = 0, scale = 0;
            for (int i = 0; i < n; i++) (dot, scale) = (dot + g[i] * reference[i], scale + Math.Abs(g[i] * reference[i]));
            Assert.True(dot >= -1e-5 * (scale + 1), $"trial {trial}: gᵀg_ref = {dot}");
        }
    }
}
