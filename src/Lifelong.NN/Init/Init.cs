using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Parameter initializers, as PyTorch's <c>torch.nn.init</c>; each fills a tensor in place from an explicit <see cref="Rng"/> and returns it.</summary>
/// <remarks>
/// Fans follow PyTorch: for a weight (out, in, k…), fan_in = in·Πk and fan_out = out·Πk; a vector has fan_in = fan_out = its length.
/// The fills write through <see cref="Tensor.Span"/>, outside autograd, as any in-place parameter update.
/// </remarks>
public static class Init
{
    /// <summary>PyTorch's <c>calculate_gain</c>: the factor by which <paramref name="nonlinearity"/> scales the standard deviation.</summary>
    /// <param name="nonlinearity">The following activation.</param>
    /// <param name="negativeSlope">The leaky ReLU slope a (only for <see cref="Nonlinearity.LeakyRelu"/>).</param>
    public static float Gain(Nonlinearity nonlinearity, float negativeSlope = 0.01f) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1f,
        Nonlinearity.Relu => MathF.Sqrt(2f),
        Nonlinearity.LeakyRelu => MathF.Sqrt(2f / (1f + negativeSlope * negativeSlope)),
        Nonlinearity.Tanh => 5f / 3f,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Gain: unknown nonlinearity."),
    };

    /// <summary>(fan_in, fan_out) of a weight shaped (out, in, k…), or of a vector.</summary>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank == 0) throw new ArgumentException("Fans: a scalar has no fan.");
        if (shape.Rank == 1) return (shape[0], shape[0]);
        int receptive = shape.SizeOf(2, shape.Rank);
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>U(<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor Uniform(Tensor tensor, Rng rng, float low = 0f, float high = 1f)
    {
        rng.FillUniform(tensor.Span, low, high);
        return tensor;
    }

    /// <summary>N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor Normal(Tensor tensor, Rng rng, float mean = 0f, float std = 1f)
    {
        rng.FillNormal(tensor.Span, mean, std);
        return tensor;
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        tensor.Span.Fill(value);
        return tensor;
    }

    /// <summary>Every element zero.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Every element one.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>Kaiming (He) uniform: U(−b, b) with b = gain·√(3/fan), so Var = gain²/fan.</summary>
    /// <param name="tensor">The weight (out, in, k…).</param>
    /// <param name="rng">The random stream.</param>
    /// <param name="negativeSlope">a, for <see cref="Nonlinearity.LeakyRelu"/>; PyTorch's layer default is a = √5, which gives b = 1/√fan_in.</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following activation; PyTorch's default is leaky ReLU.</param>
    public static Tensor KaimingUniform(Tensor tensor, Rng rng, float negativeSlope = 0f, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        float bound = Gain(nonlinearity, negativeSlope) * MathF.Sqrt(3f / Fan(tensor.Shape, mode));
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>Kaiming (He) normal: N(0, gain²/fan).</summary>
    /// <param name="tensor">The weight (out, in, k…).</param>
    /// <param name="rng">The random stream.</param>
    /// <param name="negativeSlope">a, for <see cref="Nonlinearity.LeakyRelu"/>.</param>
    /// <param name="mode">Which fan to use.</param>
    /// <param name="nonlinearity">The following activation; PyTorch's default is leaky ReLU.</param>
    public static Tensor KaimingNormal(Tensor tensor, Rng rng, float negativeSlope = 0f, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        float std = Gain(nonlinearity, negativeSlope) / MathF.Sqrt(Fan(tensor.Shape, mode));
        return Normal(tensor, rng, 0f, std);
    }

    /// <summary>Xavier (Glorot) uniform: U(−b, b) with b = gain·√(6/(fan_in + fan_out)), so Var = 2·gain²/(fan_in + fan_out).</summary>
    public static Tensor XavierUniform(Tensor tensor, Rng rng, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        float bound = gain * MathF.Sqrt(6f / (fanIn + fanOut));
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>Xavier (Glorot) normal: N(0, 2·gain²/(fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, Rng rng, float gain = 1f)
    {
        var (fanIn, fanOut) = Fans(tensor.Shape);
        return Normal(tensor, rng, 0f, gain * MathF.Sqrt(2f / (fanIn + fanOut)));
    }

    /// <summary>N(<paramref name="mean"/>, <paramref name="std"/>²) restricted to [<paramref name="low"/>, <paramref name="high"/>], as PyTorch's and timm's <c>trunc_normal_</c>.</summary>
    /// <remarks>
    /// The bounds are absolute values, not multiples of std, as in PyTorch: timm's ViT init trunc_normal_(std=.02) keeps
    /// the default ±2, so its truncation almost never bites. Sampled by rejection, which needs the interval to hold real
    /// mass; intervals further than 6 std from the mean are refused.
    /// </remarks>
    public static Tensor TruncatedNormal(Tensor tensor, Rng rng, float mean = 0f, float std = 1f, float low = -2f, float high = 2f)
    {
        if (!(low < high) || std <= 0f)
            throw new ArgumentException($"TruncatedNormal: need low < high and std > 0, got [{low}, {high}] and std {std}.");
        if (high < mean - 6f * std || low > mean + 6f * std)
            throw new ArgumentException($"TruncatedNormal: [{low}, {high}] lies more than 6 std from the mean {mean} (std {std}); rejection sampling would not end.");
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++)
        {
            float value;
            do value = (float)(mean + std * rng.NextNormal());
            while (value < low || value > high);
            span[i] = value;
        }
        return tensor;
    }

    /// <summary>PyTorch's default for <c>nn.Linear</c> and <c>nn.Conv2d</c>: weight ~ kaiming_uniform(a = √5) = U(±1/√fan_in), bias ~ U(±1/√fan_in).</summary>
    /// <param name="weight">(out, in, k…)</param>
    /// <param name="bias">(out), optional</param>
    /// <param name="rng">The random stream; the weight is drawn before the bias.</param>
    public static void PyTorchDefault(Tensor weight, Tensor? bias, Rng rng)
    {
        KaimingUniform(weight, rng, negativeSlope: MathF.Sqrt(5f));
        if (bias is null) return;
        float bound = 1f / MathF.Sqrt(Fans(weight.Shape).FanIn);
        Uniform(bias, rng, -bound, bound);
    }

    private static int Fan(Shape shape, FanMode mode)
    {
        var (fanIn, fanOut) = Fans(shape);
        return mode == FanMode.FanIn ? fanIn : fanOut;
    }
}
