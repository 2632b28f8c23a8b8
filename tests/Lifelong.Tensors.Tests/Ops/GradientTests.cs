using Lifelong.Tensors;

namespace Lifelong.Tensors.Tests.Ops;

/// <summary>Every differentiable op against finite differences, first order and (for the ops the MLP, CNN and ViT use) second order.</summary>
public class GradientTests
{
    /// <summary>A named op case: the function of its inputs and a factory for the inputs.</summary>
    private sealed record Case(Func<Tensor[], Tensor> F, Func<Rng, Tensor[]> Inputs, bool SecondOrder = true);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["add"] = new(x => x[0] + x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 3, 4)]),
        ["add_broadcast_row"] = new(x => x[0] + x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 4)]),
        ["add_broadcast_both"] = new(x => x[0] + x[1], r => [GradCheck.Random(r, 3, 1, 4), GradCheck.Random(r, 2, 1)]),
        ["sub_broadcast_column"] = new(x => x[0] - x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 3, 1)]),
        ["sub_scalar_tensor"] = new(x => x[0] - x[1], r => [GradCheck.Random(r, 2, 3), GradCheck.Random(r, 1)]),
        ["mul"] = new(x => x[0] * x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 3, 4)]),
        ["mul_broadcast"] = new(x => x[0] * x[1], r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 3, 1)]),
        ["div"] = new(x => x[0] / x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Positive(r, 3, 4)]),
        ["div_broadcast"] = new(x => x[0] / x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Positive(r, 4)]),
        ["neg"] = new(x => -x[0], r => [GradCheck.Random(r, 5)]),
        ["scalar_arithmetic"] = new(x => (x[0] * 3f + 2f) / 4f - 1f, r => [GradCheck.Random(r, 5)]),
        ["reciprocal"] = new(x => 2f / x[0], r => [GradCheck.Positive(r, 5)]),
        ["exp"] = new(x => x[0].Exp(), r => [GradCheck.Random(r, 3, 4)]),
        ["log"] = new(x => x[0].Log(), r => [GradCheck.Positive(r, 3, 4)]),
        ["sqrt"] = new(x => x[0].Sqrt(), r => [GradCheck.Positive(r, 3, 4)]),
        ["pow_cube"] = new(x => x[0].Pow(3f), r => [GradCheck.Random(r, 3, 4)]),
        ["pow_fractional"] = new(x => x[0].Pow(1.5f), r => [GradCheck.Positive(r, 3, 4)]),
        ["square"] = new(x => x[0].Square(), r => [GradCheck.Random(r, 3, 4)]),
        ["abs"] = new(x => x[0].Abs(), r => [GradCheck.AwayFromZero(r, 0.1f, 3, 4)]),
        ["tanh"] = new(x => x[0].Tanh(), r => [GradCheck.Random(r, 3, 4)]),
        ["sigmoid"] = new(x => x[0].Sigmoid(), r => [GradCheck.Random(r, 3, 4)]),
        ["relu"] = new(x => x[0].Relu(), r => [GradCheck.AwayFromZero(r, 0.1f, 3, 4)]),
        ["erf"] = new(x => x[0].Erf(), r => [GradCheck.Random(r, 3, 4)]),
        ["gelu_exact"] = new(x => F.Gelu(x[0]), r => [GradCheck.Random(r, 3, 4)]),
        ["gelu_tanh"] = new(x => F.Gelu(x[0], tanhApproximation: true), r => [GradCheck.Random(r, 3, 4)]),
        ["crelu"] = new(x => F.CRelu(x[0]), r => [GradCheck.AwayFromZero(r, 0.1f, 3, 4)]),
        ["clamp"] = new(x => x[0].Clamp(-0.45f, 0.45f), r => [Spread(r, 3, 4)]),
        ["maximum"] = new(x => x[0].Maximum(x[1]), r => [Spread(r, 3, 4), Spread(r, 4, offset: 0.06f)]),
        ["minimum"] = new(x => x[0].Minimum(x[1]), r => [Spread(r, 3, 4), Spread(r, 3, 4, offset: 0.06f)]),
        ["where"] = new(x => x[0].Gt(0f).Where(x[1], x[0]), r => [GradCheck.AwayFromZero(r, 0.1f, 3, 4), GradCheck.Random(r, 4)]),
        ["sum_all"] = new(x => x[0].Sum(), r => [GradCheck.Random(r, 3, 4)]),
        ["sum_axis"] = new(x => x[0].Sum(1), r => [GradCheck.Random(r, 2, 3, 4)]),
        ["sum_axes_keepdim"] = new(x => x[0].Sum([0, 2], keepDim: true), r => [GradCheck.Random(r, 2, 3, 4)]),
        ["mean_axis"] = new(x => x[0].Mean(-1), r => [GradCheck.Random(r, 2, 3, 4)]),
        ["max_axis"] = new(x => x[0].Max(1), r => [Spread(r, 3, 5)]),
        ["max_all"] = new(x => x[0].Max(), r => [Spread(r, 3, 5)]),
        ["min_axes"] = new(x => x[0].Min([0, 1]), r => [Spread(r, 3, 2, 2)]),
        ["var_unbiased"] = new(x => x[0].Var(1), r => [GradCheck.Random(r, 3, 5)]),
        ["var_biased_keepdim"] = new(x => x[0].Var([0, 2], correction: 0, keepDim: true), r => [GradCheck.Random(r, 2, 3, 4)]),
        ["logsumexp"] = new(x => x[0].LogSumExp(1), r => [GradCheck.Random(r, 3, 5)]),
        ["softmax"] = new(x => F.Softmax(x[0], -1), r => [GradCheck.Random(r, 3, 5)]),
        ["log_softmax"] = new(x => F.LogSoftmax(x[0], 0), r => [GradCheck.Random(r, 3, 5)]),
        ["cross_entropy"] = new(x => F.CrossEntropy(x[0], [1, 0, 4]), r => [GradCheck.Random(r, 3, 5)]),
        ["cross_entropy_label_smoothing"] = new(x => F.CrossEntropy(x[0], [1, 0, 4], labelSmoothing: 0.1f), r => [GradCheck.Random(r, 3, 5)]),
        ["cross_entropy_soft_targets"] = new(x => F.CrossEntropy(x[0], F.Softmax(x[1])), r => [GradCheck.Random(r, 3, 5), GradCheck.Random(r, 3, 5)]),
        ["mse"] = new(x => F.Mse(x[0], x[1]), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 3, 4)]),
        ["bce_with_logits"] = new(x => F.BinaryCrossEntropyWithLogits(x[0], x[1]), r => [GradCheck.AwayFromZero(r, 0.1f, 3, 4), GradCheck.Positive(r, 3, 4) * 0.4f]),
        ["layer_norm"] = new(x => F.LayerNorm(x[0], x[1], x[2], eps: 1e-5f), r => [GradCheck.Random(r, 3, 6), GradCheck.Random(r, 6), GradCheck.Random(r, 6)]),
        ["layer_norm_two_dims_affine"] = new(x => F.LayerNorm(x[0], x[1], x[2], eps: 1e-5f, normalizedDims: 2), r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 3, 4), GradCheck.Random(r, 3, 4)]),
        ["layer_norm_two_dims"] = new(x => F.LayerNorm(x[0], null, null, eps: 1e-6f, normalizedDims: 2), r => [GradCheck.Random(r, 2, 3, 4)]),
        ["reshape"] = new(x => x[0].Reshape(4, -1) * x[1], r => [GradCheck.Random(r, 2, 6), GradCheck.Random(r, 4, 3)]),
        ["permute"] = new(x => x[0].Permute(2, 0, 1) * x[1], r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 4, 2, 3)]),
        ["transpose"] = new(x => x[0].Transpose() * x[1], r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 4, 3)]),
        ["expand"] = new(x => x[0].Expand(2, 3, 4) * x[1], r => [GradCheck.Random(r, 3, 1), GradCheck.Random(r, 2, 3, 4)]),
        ["slice"] = new(x => x[0].Slice(1, 1, 2).Square(), r => [GradCheck.Random(r, 3, 4)]),
        ["select"] = new(x => x[0].Select(0, 2).Square(), r => [GradCheck.Random(r, 3, 4)]),
        ["concat"] = new(x => TensorMath.Concat([x[0], x[1]], 1).Square(), r => [GradCheck.Random(r, 2, 3), GradCheck.Random(r, 2, 2)]),
        ["stack"] = new(x => TensorMath.Stack([x[0], x[1]], 1).Square(), r => [GradCheck.Random(r, 2, 3), GradCheck.Random(r, 2, 3)]),
        ["index_select"] = new(x => x[0].IndexSelect(0, [2, 0, 2]).Square(), r => [GradCheck.Random(r, 3, 4)]),
        ["gather"] = new(x => x[0].Gather(1, [3, 0, 1, 1, 2, 2], new Shape(3, 2)).Square(), r => [GradCheck.Random(r, 3, 4)]),
        ["linear_rows"] = new(x => F.Linear(x[0], x[1], x[2]), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 5, 4), GradCheck.Random(r, 5)]),
        ["linear_rows_cross_entropy"] = new(x => F.CrossEntropy(F.Linear(x[0], x[1], x[2]), [1, 0, 4]), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 5, 4), GradCheck.Random(r, 5)]),
        ["matmul"] = new(x => x[0].MatMul(x[1]), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 4, 5)]),
        ["matmul_transposed_a"] = new(x => x[0].MatMul(x[1], transposeA: true), r => [GradCheck.Random(r, 4, 3), GradCheck.Random(r, 4, 5)]),
        ["matmul_transposed_b"] = new(x => x[0].MatMul(x[1], transposeB: true), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 5, 4)]),
        ["matmul_transposed_both"] = new(x => x[0].MatMul(x[1], true, true), r => [GradCheck.Random(r, 4, 3), GradCheck.Random(r, 5, 4)]),
        ["matmul_batched"] = new(x => x[0].MatMul(x[1]), r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 2, 4, 2)]),
        ["matmul_batch_broadcast"] = new(x => x[0].MatMul(x[1]), r => [GradCheck.Random(r, 2, 1, 3, 4), GradCheck.Random(r, 3, 4, 2)]),
        ["matmul_folded_batch"] = new(x => x[0].MatMul(x[1], transposeB: true), r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 5, 4)]),
        ["matmul_vector"] = new(x => x[0].MatMul(x[1]), r => [GradCheck.Random(r, 3, 4), GradCheck.Random(r, 4)]),
        ["self_attention"] = new(x => x[0].SelfAttention(2, 0.7f), r => [GradCheck.Random(r, 2, 3, 12)]),
        ["linear"] = new(x => F.Linear(x[0], x[1], x[2]), r => [GradCheck.Random(r, 2, 3, 4), GradCheck.Random(r, 5, 4), GradCheck.Random(r, 5)]),
        ["conv2d"] = new(x => x[0].Conv2d(x[1], x[2]), r => [GradCheck.Random(r, 2, 2, 5, 5), GradCheck.Random(r, 3, 2, 3, 3), GradCheck.Random(r, 3)]),
        ["conv2d_stride_padding"] = new(x => x[0].Conv2d(x[1], x[2], stride: 2, padding: 1), r => [GradCheck.Random(r, 1, 2, 5, 6), GradCheck.Random(r, 2, 2, 3, 2), GradCheck.Random(r, 2)]),
        ["conv2d_no_bias_batch_one"] = new(x => x[0].Conv2d(x[1]), r => [GradCheck.Random(r, 1, 3, 4, 6), GradCheck.Random(r, 2, 3, 2, 3)]),
        ["conv2d_backward_input"] = new(x => x[0].Conv2dBackwardInput(x[1], new Shape(2, 2, 6, 5), stride: 2, padding: 1), r => [GradCheck.Random(r, 2, 3, 3, 3), GradCheck.Random(r, 3, 2, 3, 2)]),
        ["conv2d_backward_weight"] = new(x => x[0].Conv2dBackwardWeight(x[1], new Shape(3, 2, 3, 2), stride: 2, padding: 1), r => [GradCheck.Random(r, 2, 2, 6, 5), GradCheck.Random(r, 2, 3, 3, 3)]),
        ["batch_norm2d"] = new(x => x[0].BatchNorm2d(x[1], x[2], 1e-5f, out _, out _) * x[3], r => [GradCheck.Random(r, 3, 2, 2, 3), GradCheck.Random(r, 2), GradCheck.Random(r, 2), GradCheck.Random(r, 3, 2, 2, 3)]),
        ["im2col"] = new(x => x[0].Im2Col(new Window2d(2, 3, 1, 2, 1, 0)).Square(), r => [GradCheck.Random(r, 1, 2, 4, 5)]),
        ["col2im"] = new(x => x[0].Col2Im(new Shape(1, 1, 3, 3), Window2d.Square(2)).Square(), r => [GradCheck.Random(r, 4, 4)]),
        ["max_pool"] = new(x => x[0].MaxPool2d(2), r => [Spread(r, 2, 2, 4, 4)]),
        ["max_pool_stride_padding"] = new(x => x[0].MaxPool2d(3, stride: 2, padding: 1), r => [Spread(r, 1, 2, 5, 5)]),
        ["avg_pool"] = new(x => x[0].AvgPool2d(2), r => [GradCheck.Random(r, 2, 2, 4, 4)]),
        ["avg_pool_padding"] = new(x => x[0].AvgPool2d(3, stride: 2, padding: 1), r => [GradCheck.Random(r, 1, 1, 5, 5)]),
        ["dropout"] = new(x => F.Dropout(x[0], 0.5f, training: true, new Rng(3)), r => [GradCheck.Random(r, 4, 4)]),
    };

    /// <summary>Every case name, for the theories.</summary>
    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string op)
    {
        var c = Cases[op];
        GradCheck.FirstOrder(c.F, c.Inputs(new Rng(42)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Hessian_vector_product_matches_finite_differences_of_gradients(string op)
    {
        var c = Cases[op];
        GradCheck.SecondOrder(c.F, c.Inputs(new Rng(43)));
    }

    /// <summary>Values spread out enough that max/min/clamp ties and kinks are never within ε of each other.</summary>
    private static Tensor Spread(Rng rng, params int[] dims) => Spread(rng, dims, 0.011f);

    private static Tensor Spread(Rng rng, int d0, int d1, float offset) => Spread(rng, [d0, d1], offset);

    private static Tensor Spread(Rng rng, int d0, float offset) => Spread(rng, [d0], offset);

    private static Tensor Spread(Rng rng, int[] dims, float offset)
    {
        var t = Tensor.Zeros(new Shape(dims));
        var s = t.Span;
        var order = rng.Permutation(s.Length);
        for (int i = 0; i < s.Length; i++) s[i] = (order[i] - s.Length / 2f) * 0.13f + offset;
        return t;
    }
}
