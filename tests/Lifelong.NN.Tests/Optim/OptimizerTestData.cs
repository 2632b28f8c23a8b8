using Lifelong.Tensors;

namespace Lifelong.NN.Tests.Optim;

/// <summary>The small problem every optimizer test steps through: θ₀ and three fixed gradients.</summary>
internal static class OptimizerTestData
{
    public static readonly float[] Theta0 = [1.0f, -2.0f, 0.5f];

    public static readonly float[][] Gradients =
    [
        [0.1f, -0.2f, 0.3f],
        [0.4f, 0.0f, -0.1f],
        [-0.3f, 0.5f, 0.2f],
    ];

    public static Tensor NewParameter(params float[] values) => WithGrad(Tensor.FromArray(values.Length == 0 ? (float[])Theta0.Clone() : values));

    public static Tensor WithGrad(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Sets the given gradient (a fixed sequence, independent of θ) and steps.</summary>
    public static void StepWith(Optimizer optimizer, Tensor parameter, float[] gradient)
    {
        parameter.Grad = Tensor.FromArray((float[])gradient.Clone(), parameter.Shape.ToArray());
        optimizer.Step();
    }

    public static void AssertClose(float[] expected, ReadOnlySpan<float> actual, float tolerance = 2e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1f, Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
