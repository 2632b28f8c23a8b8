using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors.Tests.Kernels;

/// <summary>The single-loop LayerNorm row passes against the chain of <see cref="TensorPrimitives"/> calls they replace
/// (the kernel's previous code, kept here as its oracle), bit for bit, on row lengths with and without a vector tail.</summary>
public class LayerNormRowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(67)]
    public void Forward_and_backward_passes_give_the_bits_of_the_TensorPrimitives_chain(int d)
    {
        var rng = new Rng((ulong)d);
        float[] Random(float low, float high) { var v = new float[d]; rng.FillUniform(v, low, high); return v; }
        float[] x = Random(-3, 3), gamma = Random(-2, 2), beta = Random(-1, 1), gradient = Random(-1, 1), gradGammaStart = Random(-1, 1), gradBetaStart = Random(-1, 1);
        float mean = 0.37f, rstd = 1.9f, a = -0.61f, b = 0.23f;

        var expected = new float[d];
        TensorPrimitives.Subtract(x, mean, expected);
        var actual = new float[d];
        LayerNormRows.Center(x, mean, actual);
        Assert.Equal(Bits(expected), Bits(actual));

        TensorPrimitives.Multiply(expected, rstd, expected);
        TensorPrimitives.FusedMultiplyAdd(expected, gamma, beta, expected);
        LayerNormRows.ScaleShift(actual, rstd, gamma, beta);
        Assert.Equal(Bits(expected), Bits(actual));

        float[] xHat = new float[d], scaled = new float[d], gradGamma = (float[])gradGammaStart.Clone(), gradBeta = (float[])gradBetaStart.Clone();
        TensorPrimitives.Subtract(x, mean, xHat);
        TensorPrimitives.Multiply(xHat, rstd, xHat);
        TensorPrimitives.FusedMultiplyAdd(gradient, xHat, gradGamma, gradGamma);
        TensorPrimitives.Add(gradBeta, gradient, gradBeta);
        TensorPrimitives.Multiply(gradient, gamma, scaled);
        float[] xHat2 = new float[d], scaled2 = new float[d], gradGamma2 = (float[])gradGammaStart.Clone(), gradBeta2 = (float[])gradBetaStart.Clone();
        LayerNormRows.Accumulate(x, mean, rstd, gradient, gamma, xHat2, scaled2, gradGamma2, gradBeta2);
        Assert.Equal(Bits(xHat), Bits(xHat2));
        Assert.Equal(Bits(scaled), Bits(scaled2));
        Assert.Equal(Bits(gradGamma), Bits(gradGamma2));
        Assert.Equal(Bits(gradBeta), Bits(gradBeta2));

        TensorPrimitives.Multiply(xHat, a, xHat);
        TensorPrimitives.Add(xHat, b, xHat);
        TensorPrimitives.FusedMultiplyAdd(scaled, rstd, xHat, xHat);
        LayerNormRows.InputGradient(xHat2, a, b, scaled2, rstd);
        Assert.Equal(Bits(xHat), Bits(xHat2));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
