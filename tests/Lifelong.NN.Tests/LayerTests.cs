using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class LayerTests
{
    private static Tensor Randn(Rng rng, params int[] dims) => Tensor.Normal(new Shape(dims), 0f, 1f, rng);

    [Fact]
    public void Linear_computes_x_times_weight_transposed_plus_bias()
    {
        var layer = new Linear(3, 2, new Rng(0));
        var x = Randn(new Rng(1), 4, 5, 3);   // extra leading dims pass through
        var y = layer.Forward(x);
        Assert.Equal(new Shape(4, 5, 2), y.Shape);
        // y[a, b, o] = Σᵢ x[a, b, i]·W[o, i] + b[o]
        float expected = layer.Bias![1];
        for (int i = 0; i < 3; i++) expected += x[2, 3, i] * layer.Weight[1, i];
        Assert.Equal(expected, y[2, 3, 1], 5);
        Assert.Equal(new Shape(4, 2), new Linear(3, 2, new Rng(0), bias: false).Forward(Randn(new Rng(1), 4, 3)).Shape);
    }

    [Fact]
    public void Conv2d_layer_matches_naive_loops_with_stride_and_padding()
    {
        var layer = new Conv2d(2, 3, 3, new Rng(0), stride: 2, padding: 1);
        var x = Randn(new Rng(1), 2, 2, 5, 6);
        var y = layer.Forward(x);
        Assert.Equal(new Shape(2, 3, 3, 3), y.Shape);   // ⌊(5 + 2 − 3)/2⌋ + 1 = 3, ⌊(6 + 2 − 3)/2⌋ + 1 = 3
        var expected = new float[y.Size];
        int index = 0;
        for (int n = 0; n < 2; n++)
            for (int o = 0; o < 3; o++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                    {
                        float sum = layer.Bias![o];
                        for (int c = 0; c < 2; c++)
                            for (int ki = 0; ki < 3; ki++)
                                for (int kj = 0; kj < 3; kj++)
                                {
                                    int r = i * 2 - 1 + ki, s = j * 2 - 1 + kj;
                                    if (r >= 0 && r < 5 && s >= 0 && s < 6) sum += x[n, c, r, s] * layer.Weight[o, c, ki, kj];
                                }
                        expected[index++] = sum;
                    }
        Approx.Equal(expected, y, 1e-5f);
        Approx.Equal(F.Conv2d(x, layer.Weight, layer.Bias, 2, 1), y, 0f);
    }

    [Fact]
    public void Pooling_layers_take_the_max_and_mean_of_each_window()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f], 1, 1, 4, 4);
        Approx.Equal([6f, 8f, 14f, 16f], new MaxPool2d(2).Forward(x));
        Approx.Equal([3.5f, 5.5f, 11.5f, 13.5f], new AvgPool2d(2).Forward(x));
        Approx.Equal([11f, 12f, 15f, 16f], new MaxPool2d(3, stride: 1).Forward(x));
    }

    [Fact]
    public void Flatten_keeps_the_batch_dim()
    {
        Assert.Equal(new Shape(2, 60), new Flatten().Forward(Tensor.Zeros(2, 3, 4, 5)).Shape);
        Assert.Equal(new Shape(2, 3, 20), new Flatten(2).Forward(Tensor.Zeros(2, 3, 4, 5)).Shape);
    }

    [Fact]
    public void Activations_match_their_formulas()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 1f], 1, 4);
        Approx.Equal([0f, 0f, 0f, 1f], new ReLU().Forward(x));
        Approx.Equal([MathF.Tanh(-2f), MathF.Tanh(-0.5f), 0f, MathF.Tanh(1f)], new Tanh().Forward(x));
        // CReLU: [relu(x), relu(−x)] along the last axis.
        Approx.Equal([0f, 0f, 0f, 1f, 2f, 0.5f, 0f, 0f], new CReLU().Forward(x));
        Assert.Equal(new Shape(2, 6, 4, 4), new CReLU(axis: 1).Forward(Tensor.Zeros(2, 3, 4, 4)).Shape);
        // GELU(x) = x·Φ(x): Φ(−2) = 0.0227501, Φ(−0.5) = 0.3085375, Φ(1) = 0.8413447.
        Approx.Equal([-2f * 0.0227501f, -0.5f * 0.3085375f, 0f, 0.8413447f], new GELU().Forward(x), 1e-5f);
        // tanh form at 1: ½(1 + tanh(√(2/π)·1.044715)) = 0.8411920.
        Assert.Equal(0.8411920f, new GELU(tanhApproximation: true).Forward(Tensor.FromArray([1f]))[0], 5);
    }

    [Fact]
    public void LayerNorm_matches_the_direct_formula()
    {
        var layer = new LayerNorm(5, eps: 1e-3f);
        using (Autograd.NoGrad())
        {
            new Rng(2).FillNormal(layer.Weight!.Span, 1f, 0.5f);
            new Rng(3).FillNormal(layer.Bias!.Span, 0f, 0.5f);
        }
        var x = Randn(new Rng(1), 3, 5) * 3f + 1f;
        var y = layer.Forward(x);
        var expected = new float[15];
        for (int r = 0; r < 3; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < 5; i++) mean += x[r, i] / 5.0;
            for (int i = 0; i < 5; i++) variance += (x[r, i] - mean) * (x[r, i] - mean) / 5.0;   // biased, as PyTorch
            for (int i = 0; i < 5; i++)
                expected[r * 5 + i] = (float)((x[r, i] - mean) / Math.Sqrt(variance + 1e-3) * layer.Weight[i] + layer.Bias[i]);
        }
        Approx.Equal(expected, y, 1e-5f);
        Assert.Null(new LayerNorm(5, elementwiseAffine: false).Weight);
        Assert.Empty(new LayerNorm(5, elementwiseAffine: false).Parameters());
    }

    [Fact]
    public void Dropout_zeros_and_rescales_in_training_and_is_the_identity_in_eval()
    {
        var layer = new Dropout(0.25f, new Rng(5));
        var x = Tensor.Ones(10_000);
        var y = layer.Forward(x).ToArray();
        int zeros = y.Count(v => v == 0f);
        Assert.InRange(zeros, 2300, 2700);
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6f));
        layer.Eval();
        Assert.Same(x, layer.Forward(x));
    }

    [Fact]
    public void Sequential_names_children_by_position_and_chains_them()
    {
        var rng = new Rng(0);
        var model = new Sequential(new Linear(4, 3, rng.Split("a")), new Tanh(), new Linear(3, 2, rng.Split("b")));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        var x = Randn(new Rng(1), 5, 4);
        Approx.Equal(model[2].Forward(model[0].Forward(x).Tanh()), model.Forward(x), 0f);
        Assert.Equal(3, model.Count);
    }

    [Fact]
    public void Multi_head_self_attention_matches_explicit_loops()
    {
        const int b = 2, n = 3, d = 4, heads = 2, dh = 2;
        var attention = new MultiHeadSelfAttention(d, heads, new Rng(0));
        var x = Randn(new Rng(1), b, n, d);
        var y = attention.Forward(x);
        Assert.Equal(new Shape(b, n, d), y.Shape);

        var qkv = attention.Qkv.Forward(x);   // (B, N, 3D), laid out as (3, heads, d_head)
        var concatenated = new float[b, n, d];
        for (int batch = 0; batch < b; batch++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < n; i++)
                {
                    // softmax_j(q_i·k_j / √d_head), then Σ_j a_ij·v_j
                    var scores = new double[n];
                    for (int j = 0; j < n; j++)
                    {
                        for (int e = 0; e < dh; e++) scores[j] += qkv[batch, i, 0 * d + h * dh + e] * qkv[batch, j, 1 * d + h * dh + e];
                        scores[j] /= Math.Sqrt(dh);
                    }
                    double max = scores.Max(), total = scores.Sum(s => Math.Exp(s - max));
                    for (int e = 0; e < dh; e++)
                    {
                        double sum = 0;
                        for (int j = 0; j < n; j++) sum += Math.Exp(scores[j] - max) / total * qkv[batch, j, 2 * d + h * dh + e];
                        concatenated[batch, i, h * dh + e] = (float)sum;
                    }
                }
        var expected = attention.Proj.Forward(Tensor.FromArray(concatenated.Cast<float>().ToArray(), b, n, d));
        Approx.Equal(expected, y, 1e-5f);
    }

    [Fact]
    public void Transformer_block_is_pre_norm_with_two_residuals()
    {
        var block = new TransformerBlock(8, 2, new Rng(0), mlpRatio: 2f);
        var x = Randn(new Rng(1), 2, 3, 8);
        var h = x + block.Attn.Forward(block.Norm1.Forward(x));
        // mlp(z) = fc2(GELU(fc1(z)))
        var expected = h + block.Mlp.Fc2.Forward(F.Gelu(block.Mlp.Fc1.Forward(block.Norm2.Forward(h))));
        Approx.Equal(expected, block.Forward(x), 1e-6f);
        Assert.Equal(new Shape(16, 8), block.Mlp.Fc1.Weight.Shape);
    }

    [Fact]
    public void Patch_embed_projects_each_patch_in_row_major_order()
    {
        var embed = new PatchEmbed(imageSize: 6, patchSize: 3, inChannels: 2, dim: 4, new Rng(0));
        var x = Randn(new Rng(1), 2, 2, 6, 6);
        var tokens = embed.Forward(x);
        Assert.Equal(new Shape(2, 4, 4), tokens.Shape);
        Assert.Equal(4, embed.NumPatches);
        // token (n, p) with patch p = (row 1, col 0) → pixels [3, 6) × [0, 3)
        var w = embed.Proj.Weight;
        for (int o = 0; o < 4; o++)
        {
            float expected = embed.Proj.Bias![o];
            for (int c = 0; c < 2; c++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                        expected += x[1, c, 3 + i, j] * w[o, c, i, j];
            Assert.Equal(expected, tokens[1, 2, o], 5);
        }
    }
}
