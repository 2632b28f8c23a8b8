namespace Lifelong.Tensors.Tests.Ops;

/// <summary>Each fused op against the composite of primitives it replaces: values and first-order gradients.</summary>
/// <remarks>Second-order gradients of the fused ops are checked against finite differences in <see cref="GradientTests"/>.</remarks>
public class FusedOpTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 10)]
    [InlineData(7, 33)]
    public void Softmax_cross_entropy_matches_the_composite(int n, int c)
    {
        var rng = new Rng((ulong)(n * 100 + c));
        var logits = Tensor.Normal(new Shape(n, c), 0f, 3f, rng);
        var targets = Tensor.Uniform(new Shape(n, c), 0f, 1f, rng);   // not a distribution: the rows' mass Tᵢ ≠ 1 is exercised
        logits.RequiresGrad = true;
        targets.RequiresGrad = true;

        var fused = logits.SoftmaxCrossEntropy(targets) * 1.7f;
        var composite = (F.LogSoftmax(logits) * targets).Sum().Mul(-1f / n) * 1.7f;
        Assert.Equal(composite.Item(), fused.Item(), 1e-6 * Math.Abs(composite.Item()));

        var fusedGrads = Autograd.Grad(fused, [logits, targets]);
        var compositeGrads = Autograd.Grad(composite, [logits, targets]);
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < logits.Size; i++) Assert.Equal(compositeGrads[k].Span[i], fusedGrads[k].Span[i], 1e-5 * (1 + Math.Abs(compositeGrads[k].Span[i])));
    }

    [Fact]
    public void Cross_entropy_with_class_indices_ignores_classes_at_minus_infinity()
    {
        // Row 0: log softmax of [0, −∞, 0] at class 0 is log ½; the masked class neither costs nor makes NaN.
        var logits = Tensor.FromArray(new float[,] { { 0f, float.NegativeInfinity, 0f }, { 1f, 2f, 3f } });
        logits.RequiresGrad = true;
        var loss = F.CrossEntropy(logits, [0, 2]);
        double expected = (Math.Log(2) + (Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 3)) / 2;
        Assert.Equal(expected, loss.Item(), 5);
        loss.Backward();
        Assert.Equal(0f, logits.Grad!.Span[1]);
        Assert.All(logits.Grad.ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(16, 784, 100)]
    [InlineData(5, 7, 3)]
    public void Linear_on_rows_is_bit_identical_to_matmul_plus_bias(int n, int inFeatures, int outFeatures)
    {
        var rng = new Rng((ulong)(n + inFeatures + outFeatures));
        var x = Tensor.Normal(new Shape(n, inFeatures), 0f, 1f, rng);
        var weight = Tensor.Normal(new Shape(outFeatures, inFeatures), 0f, 1f, rng);
        var bias = Tensor.Normal(new Shape(outFeatures), 0f, 1f, rng);
        var upstream = Tensor.Normal(new Shape(n, outFeatures), 0f, 1f, rng);
        foreach (var t in new[] { x, weight, bias }) t.RequiresGrad = true;

        var fused = F.Linear(x, weight, bias);
        var composite = x.MatMul(weight, transposeB: true) + bias;
        Assert.Equal(composite.ToArray(), fused.ToArray());
        var fusedGrads = Autograd.Grad([fused], [x, weight, bias], [upstream]);
        var compositeGrads = Autograd.Grad([composite], [x, weight, bias], [upstream]);
        for (int k = 0; k < 3; k++) Assert.Equal(compositeGrads[k].ToArray(), fusedGrads[k].ToArray());
    }

    [Fact]
    public void Relu_backward_is_bit_identical_to_the_mask_product()
    {
        var rng = new Rng(5);
        var x = Tensor.Normal(new Shape(4, 9), 0f, 1f, rng);
        x.Span[0] = 0f;   // the gradient at 0 is 0
        var upstream = Tensor.Normal(new Shape(4, 9), 0f, 1f, rng);
        x.RequiresGrad = true;
        var fused = Autograd.Grad([x.Relu()], [x], [upstream])[0];
        Assert.Equal((upstream * x.Detach().Gt(0f)).ToArray(), fused.ToArray());
    }

    [Fact]
    public void Sign_matches_the_scalar_definition_in_the_vector_body_and_the_tail()
    {
        // 67 elements: several vector widths plus a tail; the specials sit in both parts.
        var x = Tensor.Normal(new Shape(67), 0f, 1f, new Rng(8));
        float[] specials = [0f, -0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon];
        for (int k = 0; k < specials.Length; k++)
        {
            x.Span[k] = specials[k];
            x.Span[x.Size - 1 - k] = specials[k];
        }
        var expected = x.ToArray().Select(v => v > 0f ? 1f : v < 0f ? -1f : 0f).ToArray();   // NaN and ±0 → 0
        Assert.Equal(expected, x.Sign().ToArray());
    }
}
