using Lifelong.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors.Tests.Ops;

/// <summary>Forward values on small inputs, with the maths in comments.</summary>
public class ValueTests
{
    private static void Equal(float[] expected, Tensor actual, float tolerance = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Size);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual.Span[i]) <= tolerance * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual.Span[i]}");
    }

    [Fact]
    public void Broadcast_add_aligns_dimensions_from_the_right()
    {
        // [[1,2,3],[4,5,6]] + [10,20,30] = [[11,22,33],[14,25,36]]; + [[100],[200]] adds per row.
        var a = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Equal([11, 22, 33, 14, 25, 36], a + Tensor.FromArray([10, 20, 30]));
        Equal([101, 102, 103, 204, 205, 206], a + Tensor.FromArray([100, 200], 2, 1));
        var outer = Tensor.FromArray([1, 2], 2, 1) * Tensor.FromArray([1, 10, 100], 1, 3);   // outer product by broadcasting
        Assert.Equal(new Shape(2, 3), outer.Shape);
        Equal([1, 10, 100, 2, 20, 200], outer);
    }

    [Fact]
    public void Incompatible_shapes_name_the_op_and_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3) + Tensor.Zeros(4));
        Assert.Contains("Add", ex.Message);
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4,)", ex.Message);
        var mm = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("MatMul", mm.Message);
        Assert.Contains("(2, 3)", mm.Message);
        Assert.Contains("(4, 5)", mm.Message);
    }

    [Fact]
    public void Reductions_over_axes_with_and_without_keepdim()
    {
        var x = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Equal([5, 7, 9], x.Sum(0));                       // column sums
        Equal([6, 15], x.Sum(1));                         // row sums
        Assert.Equal(new Shape(2, 1), x.Sum(1, keepDim: true).Shape);
        Equal([2, 5], x.Mean(-1));
        Equal([3, 6], x.Max(1));
        Equal([1, 2, 3], x.Min(0));
        Assert.Equal(new[] { 2, 2 }, x.ArgMax(1));
        Equal([21], x.Sum());
        Equal([1, 1], x.Var(1));                          // var(1,2,3) = ((−1)² + 0 + 1²)/(3 − 1) = 1
        Equal([2f / 3, 2f / 3], x.Var(1, correction: 0)); // biased: 2/3
        // logsumexp(1,2,3) = 3 + log(e⁻² + e⁻¹ + 1)
        Equal([(float)(3 + Math.Log(Math.Exp(-2) + Math.Exp(-1) + 1))], x.Slice(0, 0, 1).LogSumExp(1), 1e-6f);
    }

    [Fact]
    public void Logsumexp_is_stable_for_large_inputs()
    {
        var y = Tensor.FromArray([1000f, 1000f], 1, 2).LogSumExp(1);
        Assert.Equal(1000f + MathF.Log(2f), y.Item(), 3);
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_cross_entropy_matches_the_formula()
    {
        var logits = Tensor.FromArray([1, 2, 3, 1, 1, 1], 2, 3);
        var p = F.Softmax(logits);
        Equal([1, 1], p.Sum(1), 1e-6f);
        // CE = mean(−log p[i, yᵢ]) = (−log(e³/(e+e²+e³)) − log(1/3)) / 2
        double expected = (-Math.Log(Math.Exp(3) / (Math.E + Math.Exp(2) + Math.Exp(3))) + Math.Log(3)) / 2;
        Assert.Equal(expected, F.CrossEntropy(logits, [2, 0]).Item(), 5);
        // Label smoothing ε: target (1 − ε)·onehot + ε/C.
        double smoothRow2 = -Math.Log(1.0 / 3);
        double logp00 = Math.Log(Math.E / (Math.E + Math.Exp(2) + Math.Exp(3)));
        double logp01 = Math.Log(Math.Exp(2) / (Math.E + Math.Exp(2) + Math.Exp(3)));
        double logp02 = Math.Log(Math.Exp(3) / (Math.E + Math.Exp(2) + Math.Exp(3)));
        double smoothRow1 = -(0.9 + 0.1 / 3) * logp02 - 0.1 / 3 * (logp00 + logp01);
        Assert.Equal((smoothRow1 + smoothRow2) / 2, F.CrossEntropy(logits, [2, 0], labelSmoothing: 0.1f).Item(), 5);
    }

    [Fact]
    public void Gelu_exact_and_tanh_match_known_values()
    {
        // GELU(1) = Φ(1) = 0.8413447; GELU(−1) = −0.1586553; tanh form at 1: 0.8411920.
        var x = Tensor.FromArray([1f, -1f, 0f]);
        Equal([0.8413447f, -0.1586553f, 0f], F.Gelu(x), 1e-6f);
        Equal([0.8411920f, -0.1588080f, 0f], F.Gelu(x, tanhApproximation: true), 1e-6f);
    }

    [Fact]
    public void Erf_matches_reference_values()
    {
        // erf(0.5) = 0.5204998778, erf(2) = 0.9953222650, erf(3) = 0.9999779095, erf(−1) = −0.8427007929
        Equal([0.5204998778f, 0.9953222650f, 0.9999779095f, -0.8427007929f], Tensor.FromArray([0.5f, 2f, 3f, -1f]).Erf(), 1e-7f);
    }

    [Fact]
    public void Binary_cross_entropy_with_logits_matches_the_formula()
    {
        // −[t·log σ(x) + (1 − t)·log(1 − σ(x))] at x = 2, t = 1 and x = −1, t = 0.25
        double s2 = 1 / (1 + Math.Exp(-2)), s1 = 1 / (1 + Math.Exp(1));
        double expected = (-Math.Log(s2) - (0.25 * Math.Log(s1) + 0.75 * Math.Log(1 - s1))) / 2;
        Assert.Equal(expected, F.BinaryCrossEntropyWithLogits(Tensor.FromArray([2f, -1f]), Tensor.FromArray([1f, 0.25f])).Item(), 5);
    }

    [Fact]
    public void Layer_norm_normalizes_the_last_dimension()
    {
        // (x − 2)/√(2/3 + ε) for x = 1, 2, 3, then ·γ + β
        var y = F.LayerNorm(Tensor.FromArray([1, 2, 3], 1, 3), Tensor.FromArray([1, 2, 1]), Tensor.FromArray([0, 0, 1]), eps: 0f);
        float s = MathF.Sqrt(2f / 3f);
        Equal([-1 / s, 0, 1 / s + 1], y, 1e-5f);
    }

    [Fact]
    public void Shape_ops_move_values_as_expected()
    {
        var x = Tensor.FromArray([0, 1, 2, 3, 4, 5], 2, 3);
        Equal([0, 3, 1, 4, 2, 5], x.Transpose());
        Equal([1, 2, 4, 5], x.Slice(1, 1, 2));
        Equal([3, 4, 5], x.Select(0, 1));
        Equal([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], TensorMath.Concat([x, x], 0));
        Assert.Equal(new Shape(2, 2, 3), TensorMath.Stack([x, x]).Shape);
        Equal([3, 4, 5, 0, 1, 2, 3, 4, 5], x.IndexSelect(0, [1, 0, 1]));
        Equal([2, 0, 4, 4], x.Gather(1, [2, 0, 1, 1], new Shape(2, 2)));
        var p = Tensor.Arange(24).Reshape(2, 3, 4).Permute(2, 0, 1);
        Assert.Equal(new Shape(4, 2, 3), p.Shape);
        Assert.Equal(13f, p[1, 1, 0]);                     // p[i, j, k] = x[j, k, i] = 12j + 4k + i
        Assert.Equal(new Shape(2, 12), Tensor.Zeros(2, 3, 4).Flatten().Shape);
    }

    [Fact]
    public void Where_and_comparisons_select_elementwise()
    {
        var x = Tensor.FromArray([-1, 2, -3, 4]);
        Equal([0, 1, 0, 1], x.Gt(0f));
        Equal([0, 2, 0, 4], x.Gt(0f).Where(x, Tensor.Scalar(0f)));
    }

    [Fact]
    public void Conv2d_matches_the_naive_reference_on_ragged_shapes()
    {
        var rng = new Rng(5);
        foreach (var (n, c, h, w, o, k, stride, pad) in new[] { (1, 1, 1, 1, 1, 1, 1, 0), (2, 3, 7, 5, 4, 3, 1, 1), (3, 2, 9, 8, 5, 3, 2, 1), (1, 4, 6, 6, 3, 5, 1, 2), (2, 1, 28, 28, 16, 5, 1, 0) })
        {
            var x = Tensor.Uniform(new Shape(n, c, h, w), -1f, 1f, rng);
            var weight = Tensor.Uniform(new Shape(o, c, k, k), -1f, 1f, rng);
            var bias = Tensor.Uniform(new Shape(o), -1f, 1f, rng);
            var expected = ConvReference.Conv2d(x.ToArray(), x.Shape, weight.ToArray(), weight.Shape, bias.ToArray(), stride, pad);
            Equal(expected, x.Conv2d(weight, bias, stride, pad), 1e-5f);
        }
    }

    [Fact]
    public void Pooling_takes_window_max_and_mean()
    {
        var x = Tensor.Arange(16).Reshape(1, 1, 4, 4);
        Equal([5, 7, 13, 15], x.MaxPool2d(2));
        Equal([2.5f, 4.5f, 10.5f, 12.5f], x.AvgPool2d(2));
        // 3×3 window, stride 2, padding 1: top-left window covers rows 0–1, cols 0–1 plus padding (max 5; mean (0+1+4+5)/9).
        Equal([5, 7, 13, 15], x.MaxPool2d(3, 2, 1));
        Equal([10f / 9f], x.AvgPool2d(3, 2, 1).Slice(3, 0, 1).Slice(2, 0, 1));
    }

    [Fact]
    public void A_tensor_prints_its_shape_and_leading_values()
    {
        var text = Tensor.Arange(20).Reshape(4, 5).ToString();
        Assert.StartsWith("Tensor(4, 5) [0, 1, 2", text);
        Assert.Contains("12 more", text);
        var x = Tensor.Ones(2);
        x.RequiresGrad = true;
        Assert.Contains("grad_fn=Mul", (x * x).ToString());
    }
}
