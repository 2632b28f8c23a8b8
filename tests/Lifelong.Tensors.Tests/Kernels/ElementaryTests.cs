using Lifelong.Tensors.Kernels;
using Xunit.Abstractions;

namespace Lifelong.Tensors.Tests.Kernels;

/// <summary>The engine's own exp, log, tanh, sigmoid and pow against double precision (.NET's Math, rounded to float once):
/// the largest error over dense grids, in units in the last place of the correctly rounded result.</summary>
public class ElementaryTests(ITestOutputHelper output)
{
    [Fact]
    public void Exp_is_within_1_ulp_of_the_correctly_rounded_value()
    {
        var x = Uniform(-103.9f, 88.72f, 400_003);
        Assert.InRange(MaxUlp(x, Elementary.Exp, Math.Exp), 0, 1);
    }

    [Fact]
    public void Log_is_within_1_ulp_over_every_binade_including_subnormals()
    {
        // Every 997th positive float from the smallest subnormal to the largest finite value.
        var x = new List<float>();
        for (long bits = 1; bits < 0x7F800000; bits += 997) x.Add(BitConverter.Int32BitsToSingle((int)bits));
        Assert.InRange(MaxUlp([.. x], Elementary.Log, Math.Log), 0, 1);
    }

    [Fact]
    public void Tanh_is_within_2_ulp_of_the_correctly_rounded_value()
    {
        Assert.InRange(MaxUlp(Uniform(-12f, 12f, 400_003), Elementary.Tanh, Math.Tanh), 0, 2);
        Assert.InRange(MaxUlp(Uniform(-0.01f, 0.01f, 100_003), Elementary.Tanh, Math.Tanh), 0, 1);
    }

    [Fact]
    public void Sigmoid_is_within_2_ulp_of_the_correctly_rounded_value()
    {
        Assert.InRange(MaxUlp(Uniform(-87f, 40f, 400_003), Elementary.Sigmoid, v => 1 / (1 + Math.Exp(-v))), 0, 2);
    }

    [Theory]
    // Stated bound: |p·ln x| + 2 ulp (the error of ln x, scaled by p, dominates); measured 4, 6 and 21.
    [InlineData(0.7f, 0.001f, 1000f, 6)]
    [InlineData(-1.5f, 0.01f, 100f, 8)]
    [InlineData(2.5f, 0.001f, 1e6f, 36)]
    [InlineData(3f, -50f, 50f, 1)]          // integer powers: two products, each rounded once
    public void Pow_is_within_its_stated_error(float p, float low, float high, int ulps)
    {
        Assert.InRange(MaxUlp(Uniform(low, high, 200_003), (x, y) => Elementary.Pow(x, p, y), v => Math.Pow(v, p)), 0, ulps);
    }

    [Fact]
    public void Special_values_follow_IEEE_and_PyTorch()
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -1f, 1000f, -1000f];
        Assert.Equal([1f, 1f, float.PositiveInfinity, 0f, float.NaN, MathF.Exp(-1f), float.PositiveInfinity, 0f], Apply(Elementary.Exp, x));
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, float.NaN, float.NaN, float.NaN, MathF.Log(1000f), float.NaN], Apply(Elementary.Log, x));
        Assert.Equal([0f, -0f, 1f, -1f, float.NaN, MathF.Tanh(-1f), 1f, -1f], Apply(Elementary.Tanh, x));
        Assert.Equal([0.5f, 0.5f, 1f, 0f, float.NaN, 1f / (1f + MathF.Exp(1f)), 1f, 0f], Apply(Elementary.Sigmoid, x));
        Assert.True(float.IsNegative(Apply(Elementary.Tanh, x)[1]));   // tanh(−0) = −0
        Assert.Equal([0f, 0f, float.PositiveInfinity, float.NaN, float.NaN, float.NaN, MathF.Pow(1000f, 0.7f), float.NaN], Apply((a, b) => Elementary.Pow(a, 0.7f, b), x));
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], Apply((a, b) => Elementary.Pow(a, 0f, b), x));
    }

    [Fact]
    public void A_span_tail_gets_the_value_a_full_vector_gives()
    {
        var x = Uniform(-5f, 5f, 37);
        var whole = Apply(Elementary.Exp, x);
        for (int i = 0; i < x.Length; i++) Assert.Equal(whole[i], Apply(Elementary.Exp, [x[i]])[0]);
    }

    private static float[] Apply(SpanFunction function, float[] x)
    {
        var y = new float[x.Length];
        function(x, y);
        return y;
    }

    private delegate void SpanFunction(ReadOnlySpan<float> x, Span<float> y);

    private long MaxUlp(float[] x, SpanFunction function, Func<double, double> reference)
    {
        var y = Apply(function, x);
        long worst = 0;
        float worstAt = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            float expected = (float)reference(x[i]);
            long ulps = Math.Abs(Ordered(y[i]) - Ordered(expected));
            if (ulps > worst) (worst, worstAt) = (ulps, x[i]);
        }
        output.WriteLine($"max error {worst} ulp at x = {worstAt:R}");
        return worst;
    }

    /// <summary>Float bits mapped to integers in the order of the floats, so that a difference counts the floats between.</summary>
    private static long Ordered(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        return bits < 0 ? int.MinValue - (long)bits : bits;
    }

    private static float[] Uniform(float low, float high, int count) =>
        [.. Enumerable.Range(0, count).Select(i => low + (high - low) * i / (count - 1))];
}
