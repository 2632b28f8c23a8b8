using Lifelong.Tensors;
using static Lifelong.Tensors.Tests.Ops.FusedAssert;

namespace Lifelong.Tensors.Tests.Ops;

/// <summary>The fused conv2d and batch-norm ops against the composites of primitives they replace: values, gradients and
/// Hessian-vector products, on ragged shapes (stride, padding, non-square kernels and images, batch 1).</summary>
public class FusedConvolutionTests
{
    /// <summary>(N, C, H, W), (O, kh, kw), stride, padding.</summary>
    public static TheoryData<int, int, int, int, int, int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1, 1, 1, 1, 1, 0 },
        { 1, 3, 7, 5, 4, 3, 3, 1, 1 },
        { 2, 2, 9, 8, 5, 2, 3, 2, 1 },
        { 3, 4, 6, 6, 3, 5, 5, 1, 2 },
        { 2, 3, 8, 11, 2, 3, 1, 3, 2 },
        { 4, 1, 28, 28, 16, 3, 3, 1, 1 },
        { 11, 3, 13, 9, 6, 3, 3, 2, 1 },     // 8 weight-gradient chunks of 1 or 2 samples
        { 20, 8, 16, 16, 16, 3, 3, 1, 1 },   // 5.9M multiply-adds: samples split over threads
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Conv2d_value_and_gradients_equal_the_composite(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding)
    {
        var (x, weight, bias, probe) = Inputs(n, c, h, w, o, kh, kw, stride, padding);
        var fused = x.Conv2d(weight, bias, stride, padding);
        var composite = x.Conv2dComposite(weight, bias, stride, padding);
        Close(composite, fused);

        // ∂/∂(x, W, b) of ⟨probe, conv⟩, then of ⟨v, ∇⟩ (a Hessian-vector product through the backward).
        var gradsFused = Autograd.Grad((fused * probe).Sum(), [x, weight, bias]);
        var gradsComposite = Autograd.Grad((composite * probe).Sum(), [x, weight, bias]);
        for (int i = 0; i < 3; i++) Close(gradsComposite[i], gradsFused[i]);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Conv2d_Hessian_vector_product_equals_the_composite(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding)
    {
        var (x, weight, bias, probe) = Inputs(n, c, h, w, o, kh, kw, stride, padding);
        var rng = new Rng(17);
        var directions = new[] { x, weight, bias }.Select(t => Tensor.Uniform(t.Shape, -1f, 1f, rng)).ToArray();
        Tensor[] Hvp(Func<Tensor, Tensor, Tensor?, Tensor> conv)
        {
            // A non-linear objective, so that the Hessian has both the x–W cross terms and curvature through tanh.
            var loss = (conv(x, weight, bias).Tanh() * probe).Sum();
            var grads = Autograd.Grad(loss, [x, weight, bias], createGraph: true);
            var dot = (grads[0] * directions[0]).Sum() + (grads[1] * directions[1]).Sum() + (grads[2] * directions[2]).Sum();
            return Autograd.Grad(dot, [x, weight, bias]);
        }
        var fused = Hvp((a, b, d) => a.Conv2d(b, d, stride, padding));
        var composite = Hvp((a, b, d) => a.Conv2dComposite(b, d, stride, padding));
        for (int i = 0; i < 3; i++) Close(composite[i], fused[i]);
    }

    [Fact]
    public void Conv2d_is_bit_for_bit_repeatable()
    {
        float[][] Run()
        {
            var (x, weight, bias, probe) = Inputs(9, 8, 14, 14, 16, 3, 3, 1, 1);
            var y = x.Conv2d(weight, bias, 1, 1);
            var grads = Autograd.Grad((y * probe).Sum(), [x, weight, bias]);
            return [y.ToArray(), .. grads.Select(g => g.ToArray())];
        }
        var first = Run();
        var second = Run();
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void Conv2d_weight_gradients_are_right_when_the_input_needs_no_gradient()
    {
        var (x, weight, bias, _) = Inputs(2, 3, 5, 5, 4, 3, 3, 1, 1);
        x.RequiresGrad = false;
        var grads = Autograd.Grad(x.Conv2d(weight, bias, 1, 1).Sum(), [weight, bias]);
        var expected = Autograd.Grad(x.Conv2dComposite(weight, bias, 1, 1).Sum(), [weight, bias]);
        for (int i = 0; i < 2; i++) Close(expected[i], grads[i]);
    }

    [Fact]
    public void Hessian_vector_product_through_conv_batch_norm_and_max_pool_matches_finite_differences()
    {
        // MAML's conv block (conv, batch norm, a smooth activation, 2×2 max-pool), twice. A small ε keeps the finite
        // differences away from max-pool's kinks (no two window entries are within ε·|∂| of each other here).
        var rng = new Rng(31);
        Tensor Block(Tensor x, Tensor w, Tensor b, Tensor gamma, Tensor beta) =>
            x.Conv2d(w, b, padding: 1).BatchNorm2d(gamma, beta, 1e-5f, out _, out _).Tanh().MaxPool2d(2);
        GradCheck.SecondOrder(
            t => Block(Block(t[0], t[1], t[2], t[3], t[4]), t[5], t[6], t[7], t[8]),
            [GradCheck.Random(rng, 2, 2, 8, 7), GradCheck.Random(rng, 3, 2, 3, 3), GradCheck.Random(rng, 3), GradCheck.Positive(rng, 3), GradCheck.Random(rng, 3),
             GradCheck.Random(rng, 2, 3, 3, 3), GradCheck.Random(rng, 2), GradCheck.Positive(rng, 2), GradCheck.Random(rng, 2)],
            eps: 1e-3, tolerance: 3e-2);
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    public void MaxPool2d_value_and_gradient_equal_the_composite(int kernel, int stride, int padding)
    {
        var rng = new Rng(29);
        var x = Tensor.Uniform(new Shape(2, 3, 7, 6), -1f, 1f, rng);
        x.RequiresGrad = true;
        var fused = x.MaxPool2d(kernel, stride, padding);
        var composite = x.MaxPool2dComposite(kernel, stride, padding);
        Assert.Equal(composite.ToArray(), fused.ToArray());
        var probe = Tensor.Uniform(fused.Shape, -1f, 1f, rng);
        Assert.Equal(Autograd.Grad((composite * probe).Sum(), [x])[0].ToArray(), Autograd.Grad((fused * probe).Sum(), [x])[0].ToArray());
    }

    [Theory]
    [InlineData(1, 2, 5, 11)]    // odd height and width: a row and a column no window covers
    [InlineData(3, 1, 8, 16)]    // 8 windows per row: the four-at-a-time path only
    [InlineData(2, 3, 28, 28)]   // 14 per row: both paths
    [InlineData(6, 32, 28, 26)]  // 34,944 windows: split over the GEMM workers by planes, 13 per row
    public void MaxPool2d_2x2_equals_a_naive_loop_in_value_and_gradient(int n, int c, int h, int w)
    {
        var rng = new Rng(31);
        var x = Tensor.Uniform(new Shape(n, c, h, w), -1f, 1f, rng);
        x.Span[3] = x.Span[2];   // a tie inside a window
        x.RequiresGrad = true;
        var y = x.MaxPool2d(2);
        var probe = Tensor.Uniform(y.Shape, -1f, 1f, rng);
        var grad = Autograd.Grad((y * probe).Sum(), [x])[0];
        var gradThroughGraph = Autograd.Grad((y * probe).Sum(), [x], createGraph: true)[0];   // the scatter-add fallback

        float[] xs = x.ToArray(), expectedY = new float[y.Size], expectedGrad = new float[x.Size];
        int at = 0;
        for (int plane = 0; plane < n * c; plane++)
            for (int i = 0; i < h / 2; i++)
                for (int j = 0; j < w / 2; j++, at++)
                {
                    int best = -1;
                    foreach (var (di, dj) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
                    {
                        int flat = (plane * h + 2 * i + di) * w + 2 * j + dj;
                        if (best < 0 || xs[flat] > xs[best]) best = flat;
                    }
                    expectedY[at] = xs[best];
                    expectedGrad[best] += probe.Span[at];
                }
        Assert.Equal(expectedY, y.ToArray());
        Assert.Equal(expectedGrad, grad.ToArray());
        Assert.Equal(expectedGrad, gradThroughGraph.ToArray());
    }

    [Fact]
    public void MaxPool2d_2x2_routes_the_gradient_to_the_first_maximum_and_to_a_NaN()
    {
        // Windows [3 5; 5 1] (a tie, the first in row-major order wins) and [2 2; NaN 2] (NaN wins, as in PyTorch).
        var x = Tensor.FromArray([3f, 5f, 2f, 2f, 5f, 1f, float.NaN, 2f], 1, 1, 2, 4);
        x.RequiresGrad = true;
        var y = x.MaxPool2d(2);
        Assert.Equal(5f, y.ToArray()[0]);
        Assert.True(float.IsNaN(y.ToArray()[1]));
        var grad = Autograd.Grad((y * Tensor.FromArray([10f, 20f], 1, 1, 1, 2)).Sum(), [x])[0];
        Assert.Equal([0f, 10f, 0f, 0f, 0f, 0f, 20f, 0f], grad.ToArray());
    }

    [Theory]
    [InlineData(1, 1, 1, 2)]
    [InlineData(3, 4, 5, 7)]
    [InlineData(8, 5, 3, 3)]
    public void BatchNorm2d_value_gradient_and_Hessian_vector_product_equal_the_composite(int n, int c, int h, int w)
    {
        var rng = new Rng(23);
        var x = Tensor.Normal(new Shape(n, c, h, w), 0.7f, 1.5f, rng);
        var (gamma, beta) = (Tensor.Uniform(new Shape(c), 0.5f, 2f, rng), Tensor.Uniform(new Shape(c), -1f, 1f, rng));
        var probe = Tensor.Uniform(x.Shape, -1f, 1f, rng);
        Tensor[] inputs = [x, gamma, beta];
        var directions = inputs.Select(t => Tensor.Uniform(t.Shape, -1f, 1f, rng)).ToArray();
        foreach (var t in inputs) t.RequiresGrad = true;
        var fused = x.BatchNorm2d(gamma, beta, 1e-5f, out var mean, out var variance);
        Close(x.BatchNorm2dComposite(gamma, beta, 1e-5f), fused);
        Close(x.Mean([0, 2, 3]), Tensor.FromArray(mean, c));
        Close(x.Var([0, 2, 3], correction: 0), Tensor.FromArray(variance, c));

        // Gradient of a non-linear objective (squared output), then its derivative along the directions.
        Tensor[] Derivatives(Func<Tensor, Tensor, Tensor, Tensor> norm)
        {
            var grads = Autograd.Grad((norm(x, gamma, beta).Square() * probe).Sum(), inputs, createGraph: true);
            var dot = (grads[0] * directions[0]).Sum() + (grads[1] * directions[1]).Sum() + (grads[2] * directions[2]).Sum();
            return [.. grads, .. Autograd.Grad(dot, inputs)];
        }
        var fusedDerivatives = Derivatives((a, g, b) => a.BatchNorm2d(g, b, 1e-5f, out _, out _));
        var compositeDerivatives = Derivatives((a, g, b) => a.BatchNorm2dComposite(g, b, 1e-5f));
        for (int i = 0; i < 6; i++) Close(compositeDerivatives[i], fusedDerivatives[i]);
        // The one-kernel backward (no graph recorded) equals the recorded one.
        var kernelGrads = Autograd.Grad((x.BatchNorm2d(gamma, beta, 1e-5f, out _, out _).Square() * probe).Sum(), inputs);
        for (int i = 0; i < 3; i++) Close(fusedDerivatives[i], kernelGrads[i]);
    }

    private static (Tensor X, Tensor Weight, Tensor Bias, Tensor Probe) Inputs(int n, int c, int h, int w, int o, int kh, int kw, int stride, int padding)
    {
        var rng = new Rng((ulong)(n * 1000 + c * 100 + h * 10 + w));
        var x = Tensor.Uniform(new Shape(n, c, h, w), -1f, 1f, rng);
        var weight = Tensor.Uniform(new Shape(o, c, kh, kw), -1f, 1f, rng);
        var bias = Tensor.Uniform(new Shape(o), -1f, 1f, rng);
        var window = new Window2d(kh, kw, stride, stride, padding, padding);
        var probe = Tensor.Uniform(new Shape(n, o, window.OutH(h), window.OutW(w)), -1f, 1f, rng);
        foreach (var t in new[] { x, weight, bias }) t.RequiresGrad = true;
        return (x, weight, bias, probe);
    }
}
