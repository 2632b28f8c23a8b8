using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class InitTests
{
    private static (double Mean, double Variance, float MaxAbs) Moments(Tensor t)
    {
        double sum = 0, squares = 0;
        float maxAbs = 0f;
        foreach (float x in t.Span)
        {
            sum += x;
            squares += (double)x * x;
            maxAbs = Math.Max(maxAbs, Math.Abs(x));
        }
        double mean = sum / t.Size;
        return (mean, squares / t.Size - mean * mean, maxAbs);
    }

    private static void AssertVariance(double expected, Tensor t, double relative = 0.03)
    {
        var (mean, variance, _) = Moments(t);
        Assert.True(Math.Abs(variance - expected) < relative * expected, $"variance {variance}, expected {expected}");
        Assert.True(Math.Abs(mean) < 4 * Math.Sqrt(expected / t.Size), $"mean {mean}");
    }

    [Fact]
    public void Linear_default_init_stays_within_one_over_root_fan_in_and_fills_it_uniformly()
    {
        var layer = new Linear(400, 300, new Rng(0));
        float bound = 1f / MathF.Sqrt(400f);
        // U(−b, b) has variance b²/3.
        Assert.True(Moments(layer.Weight).MaxAbs <= bound);
        Assert.True(Moments(layer.Weight).MaxAbs > 0.99f * bound);
        AssertVariance(bound * bound / 3.0, layer.Weight);
        Assert.True(Moments(layer.Bias!).MaxAbs <= bound);
    }

    [Fact]
    public void Conv2d_default_init_uses_fan_in_of_channels_times_kernel_area()
    {
        var layer = new Conv2d(16, 64, 5, new Rng(0));
        float bound = 1f / MathF.Sqrt(16 * 25);
        Assert.True(Moments(layer.Weight).MaxAbs <= bound);
        AssertVariance(bound * bound / 3.0, layer.Weight);
        Assert.True(Moments(layer.Bias!).MaxAbs <= bound);
    }

    [Fact]
    public void Kaiming_variances_are_gain_squared_over_fan()
    {
        var rng = new Rng(1);
        // ReLU, fan_in = 500: Var = 2/500. Linear gain, fan_out = 300·3·3: Var = 1/2700.
        AssertVariance(2.0 / 500, Init.KaimingUniform(Tensor.Zeros(400, 500), rng, nonlinearity: Nonlinearity.Relu));
        AssertVariance(2.0 / 500, Init.KaimingNormal(Tensor.Zeros(400, 500), rng, nonlinearity: Nonlinearity.Relu));
        AssertVariance(1.0 / 2700, Init.KaimingNormal(Tensor.Zeros(300, 40, 3, 3), rng, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Linear));
        AssertVariance(1.0 / 2700, Init.KaimingUniform(Tensor.Zeros(300, 40, 3, 3), rng, mode: FanMode.FanOut, nonlinearity: Nonlinearity.Linear));
    }

    [Fact]
    public void Xavier_variances_are_two_gain_squared_over_fan_sum()
    {
        var rng = new Rng(2);
        AssertVariance(2.0 / (500 + 400), Init.XavierUniform(Tensor.Zeros(400, 500), rng));
        AssertVariance(2.0 * 25 / 9 / (500 + 400), Init.XavierNormal(Tensor.Zeros(400, 500), rng, gain: Init.Gain(Nonlinearity.Tanh)));
    }

    [Fact]
    public void Truncated_normal_respects_absolute_bounds_and_the_truncated_variance()
    {
        var rng = new Rng(3);
        var t = Init.TruncatedNormal(Tensor.Zeros(200_000), rng, std: 1f, low: -2f, high: 2f);
        // N(0, 1) cut at ±2: Var = 1 − 2·2·φ(2)/(Φ(2) − Φ(−2)) = 1 − 4·0.053991/0.954500 = 0.773741.
        Assert.True(Moments(t).MaxAbs <= 2f);
        AssertVariance(0.773741, t, 0.02);

        // timm's ViT init: std .02 with the default ±2 bounds, so effectively untruncated.
        AssertVariance(0.02 * 0.02, Init.TruncatedNormal(Tensor.Zeros(200_000), rng, std: 0.02f));
    }

    [Fact]
    public void Initialization_is_repeatable_from_the_seed()
    {
        Assert.Equal(new Mlp([5, 4, 3], new Rng(9)).StateDict()["fc1.weight"].ToArray(), new Mlp([5, 4, 3], new Rng(9)).StateDict()["fc1.weight"].ToArray());
        Assert.NotEqual(new Mlp([5, 4, 3], new Rng(9)).StateDict()["fc1.weight"].ToArray(), new Mlp([5, 4, 3], new Rng(10)).StateDict()["fc1.weight"].ToArray());
    }

    [Fact]
    public void Vit_init_follows_timm()
    {
        var vit = new Vit(new VitOptions(ImageSize: 16, PatchSize: 4, Dim: 64, Depth: 2, Heads: 4), new Rng(4));
        var state = vit.StateDict();
        Assert.All(state.Where(kv => kv.Key.EndsWith(".bias", StringComparison.Ordinal) && !kv.Key.StartsWith("patch_embed", StringComparison.Ordinal)),
            kv => Assert.All(kv.Value.ToArray(), x => Assert.True(x == 0f || kv.Key.Contains("norm", StringComparison.Ordinal), kv.Key)));
        Assert.All(state["blocks.0.norm1.weight"].ToArray(), x => Assert.Equal(1f, x));
        AssertVariance(0.02 * 0.02, state["blocks.0.mlp.fc1.weight"], 0.05);
        AssertVariance(0.02 * 0.02, state["pos_embed"], 0.1);
        float bound = 1f / MathF.Sqrt(3 * 16);
        Assert.True(Moments(state["patch_embed.proj.weight"]).MaxAbs <= bound);
    }
}
