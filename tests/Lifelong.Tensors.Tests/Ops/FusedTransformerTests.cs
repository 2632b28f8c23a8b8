using Lifelong.Tensors;
using static Lifelong.Tensors.Tests.Ops.FusedAssert;

namespace Lifelong.Tensors.Tests.Ops;

/// <summary>The fused ops of a transformer block (self-attention, GELU, layer norm, linear on tokens) against the composites of
/// primitives they replace: values, gradients and Hessian-vector products, on ragged shapes.</summary>
public class FusedTransformerTests
{
    /// <summary>(B, N, D, heads): one token and one head, head widths that are not whole vectors, the bench's ViT shape.</summary>
    public static TheoryData<int, int, int, int> AttentionShapes => new()
    {
        { 1, 1, 1, 1 },
        { 2, 5, 6, 2 },
        { 3, 9, 40, 2 },
        { 2, 17, 64, 4 },
        { 1, 33, 12, 3 },
    };

    [Theory]
    [MemberData(nameof(AttentionShapes))]
    public void Self_attention_value_gradient_and_Hessian_vector_product_equal_the_composite(int b, int n, int d, int heads)
    {
        var rng = new Rng((ulong)(b * 1000 + n * 10 + d));
        var qkv = Tensor.Normal(new Shape(b, n, 3 * d), 0f, 1.5f, rng);
        var probe = Tensor.Uniform(new Shape(b, n, d), -1f, 1f, rng);
        var direction = Tensor.Uniform(qkv.Shape, -1f, 1f, rng);
        qkv.RequiresGrad = true;
        float scale = 1f / MathF.Sqrt(d / heads);
        Close(qkv.SelfAttentionComposite(heads, scale), qkv.SelfAttention(heads, scale));

        // Gradient of a non-linear objective (tanh of the output), then its derivative along a direction.
        Tensor[] Derivatives(Func<Tensor, Tensor> attention)
        {
            var grad = Autograd.Grad((attention(qkv).Tanh() * probe).Sum(), [qkv], createGraph: true)[0];
            return [grad, Autograd.Grad((grad * direction).Sum(), [qkv])[0]];
        }
        var fused = Derivatives(x => x.SelfAttention(heads, scale));
        var composite = Derivatives(x => x.SelfAttentionComposite(heads, scale));
        for (int i = 0; i < 2; i++) Close(composite[i], fused[i]);
        // The one-kernel backward (no graph recorded) equals the recorded one.
        Close(fused[0], Autograd.Grad((qkv.SelfAttention(heads, scale).Tanh() * probe).Sum(), [qkv])[0]);
    }

    [Fact]
    public void Self_attention_of_a_sample_does_not_depend_on_the_batch_or_the_thread_split()
    {
        // Batch 64 is split between threads; one sample alone runs on one. Both forward and backward must agree bit for bit.
        var rng = new Rng(37);
        var qkv = Tensor.Normal(new Shape(64, 17, 3 * 64), 0f, 1f, rng);
        var probe = Tensor.Uniform(new Shape(64, 17, 64), -1f, 1f, rng);
        qkv.RequiresGrad = true;
        var y = qkv.SelfAttention(4, 0.25f);
        var grad = Autograd.Grad((y * probe).Sum(), [qkv])[0];
        foreach (int sample in new[] { 0, 31, 63 })
        {
            var alone = qkv.Detach().Select(0, sample).Unsqueeze(0);
            alone.RequiresGrad = true;
            var yAlone = alone.SelfAttention(4, 0.25f);
            var gradAlone = Autograd.Grad((yAlone * probe.Select(0, sample).Unsqueeze(0)).Sum(), [alone])[0];
            Assert.Equal(y.Detach().Select(0, sample).ToArray(), yAlone.ToArray());
            Assert.Equal(grad.Select(0, sample).ToArray(), gradAlone.ToArray());
        }
        Assert.Equal(y.ToArray(), qkv.SelfAttention(4, 0.25f).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1001)]
    public void Gelu_value_gradient_and_Hessian_vector_product_equal_the_composite(int size)
    {
        var rng = new Rng((ulong)size);
        var x = Tensor.Normal(new Shape(size), 0f, 3f, rng);
        if (size > 8) (x.Span[0], x.Span[1], x.Span[2], x.Span[3]) = (0f, -9f, 9f, -30f);   // the origin and both tails
        var probe = Tensor.Uniform(x.Shape, -1f, 1f, rng);
        var direction = Tensor.Uniform(x.Shape, -1f, 1f, rng);
        x.RequiresGrad = true;
        CloseAbsolute(x.GeluComposite(), x.Gelu(), 1e-6f);

        Tensor[] Derivatives(Func<Tensor, Tensor> gelu)
        {
            var grad = Autograd.Grad((gelu(x).Square() * probe).Sum(), [x], createGraph: true)[0];
            return [grad, Autograd.Grad((grad * direction).Sum(), [x])[0]];
        }
        var fused = Derivatives(t => t.Gelu());
        var composite = Derivatives(t => t.GeluComposite());
        for (int i = 0; i < 2; i++) Close(composite[i], fused[i]);
        Close(fused[0], Autograd.Grad((x.Gelu().Square() * probe).Sum(), [x])[0]);
    }

    [Fact]
    public void Gelu_stays_within_float_rounding_of_the_double_precision_function()
    {
        // ½x(1 + erf(x/√2)) in double, on a dense grid over [−10, 10].
        var x = Tensor.FromArray(Enumerable.Range(0, 20001).Select(i => -10f + i * 1e-3f).ToArray(), 20001);
        var y = x.Gelu().ToArray();
        for (int i = 0; i < y.Length; i++)
        {
            double v = x.Span[i], exact = 0.5 * v * (1 + SpecialFunctions.Erf(v / Math.Sqrt(2)));
            Assert.True(Math.Abs(y[i] - exact) <= 3e-7 * Math.Max(1, Math.Abs(v)), $"x = {v}: {y[i]} vs {exact}");
        }
    }

    [Theory]
    [InlineData(new[] { 1, 1 }, 1)]
    [InlineData(new[] { 3, 7 }, 1)]
    [InlineData(new[] { 2, 5, 64 }, 1)]
    [InlineData(new[] { 2, 3, 4 }, 2)]
    [InlineData(new[] { 5 }, 1)]
    public void Layer_norm_value_gradient_and_Hessian_vector_product_equal_the_composite(int[] dims, int normalizedDims)
    {
        var rng = new Rng((ulong)(dims.Sum() * 10 + normalizedDims));
        var x = Tensor.Normal(new Shape(dims), 0.7f, 1.5f, rng);
        var normalizedShape = new Shape(dims[^normalizedDims..]);
        var (gamma, beta) = (Tensor.Uniform(normalizedShape, 0.5f, 2f, rng), Tensor.Uniform(normalizedShape, -1f, 1f, rng));
        var probe = Tensor.Uniform(x.Shape, -1f, 1f, rng);
        Tensor[] inputs = [x, gamma, beta];
        var directions = inputs.Select(t => Tensor.Uniform(t.Shape, -1f, 1f, rng)).ToArray();
        foreach (var t in inputs) t.RequiresGrad = true;
        Close(x.LayerNormComposite(gamma, beta, 1e-5f, normalizedDims), x.LayerNorm(gamma, beta, 1e-5f, normalizedDims));

        // Gradient of a non-linear objective (squared output), then its derivative along the directions.
        Tensor[] Derivatives(Func<Tensor, Tensor, Tensor, Tensor> norm)
        {
            var grads = Autograd.Grad((norm(x, gamma, beta).Square() * probe).Sum(), inputs, createGraph: true);
            var dot = (grads[0] * directions[0]).Sum() + (grads[1] * directions[1]).Sum() + (grads[2] * directions[2]).Sum();
            return [.. grads, .. Autograd.Grad(dot, inputs)];
        }
        var fused = Derivatives((a, g, b) => a.LayerNorm(g, b, 1e-5f, normalizedDims));
        var composite = Derivatives((a, g, b) => a.LayerNormComposite(g, b, 1e-5f, normalizedDims));
        for (int i = 0; i < 6; i++) Close(composite[i], fused[i]);
        // The one-kernel backward (no graph recorded) equals the recorded one.
        var kernelGrads = Autograd.Grad((x.LayerNorm(gamma, beta, 1e-5f, normalizedDims).Square() * probe).Sum(), inputs);
        for (int i = 0; i < 3; i++) Close(fused[i], kernelGrads[i]);
    }

    [Fact]
    public void Layer_norm_is_bit_for_bit_repeatable()
    {
        float[][] Run()
        {
            var rng = new Rng(43);
            var x = Tensor.Normal(new Shape(64, 17, 64), 0f, 1f, rng);
            var (gamma, beta) = (Tensor.Uniform(new Shape(64), 0.5f, 2f, rng), Tensor.Uniform(new Shape(64), -1f, 1f, rng));
            Tensor[] inputs = [x, gamma, beta];
            foreach (var t in inputs) t.RequiresGrad = true;
            var y = x.LayerNorm(gamma, beta, 1e-6f);
            return [y.ToArray(), .. Autograd.Grad((y * y).Sum(), inputs).Select(g => g.ToArray())];
        }
        var (first, second) = (Run(), Run());
        for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
    }

    [Fact]
    public void Linear_on_tokens_equals_the_matmul_plus_bias_composite()
    {
        var rng = new Rng(41);
        var x = Tensor.Normal(new Shape(3, 5, 7), 0f, 1f, rng);
        var weight = Tensor.Normal(new Shape(4, 7), 0f, 1f, rng);
        var bias = Tensor.Normal(new Shape(4), 0f, 1f, rng);
        var probe = Tensor.Uniform(new Shape(3, 5, 4), -1f, 1f, rng);
        Tensor[] inputs = [x, weight, bias];
        foreach (var t in inputs) t.RequiresGrad = true;
        var fused = F.Linear(x, weight, bias);
        var composite = x.MatMul(weight, transposeB: true) + bias;
        Assert.Equal(composite.ToArray(), fused.ToArray());
        var fusedGrads = Autograd.Grad((fused * probe).Sum(), inputs);
        var compositeGrads = Autograd.Grad((composite * probe).Sum(), inputs);
        for (int i = 0; i < 3; i++) Close(compositeGrads[i], fusedGrads[i]);
    }

    private static void CloseAbsolute(Tensor expected, Tensor actual, float tolerance)
    {
        var (e, a) = (expected.ToArray(), actual.ToArray());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * Math.Max(1f, Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {a[i]}");
    }
}
