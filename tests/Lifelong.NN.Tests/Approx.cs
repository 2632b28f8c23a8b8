using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

/// Tolerant comparisons for float32 tensors.
internal static class Approx
{
    public static void Equal(Tensor expected, Tensor actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.Span;
        var a = actual.Span;
        for (int i = 0; i < e.Length; i++)
        {
            float scale = Math.Max(1f, Math.Abs(e[i]));
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance * scale, $"element {i}: expected {e[i]}, got {a[i]} (tolerance {tolerance})");
        }
    }

    public static void Equal(float[] expected, Tensor actual, float tolerance = 1e-5f) =>
        Equal(Tensor.FromArray(expected, actual.Shape.ToArray()), actual, tolerance);

    /// ‖a − b‖ / ‖b‖ over several tensors taken as one vector, in double.
    public static double RelativeError(IReadOnlyList<Tensor> actual, IReadOnlyList<Tensor> reference)
    {
        double diff = 0, norm = 0;
        for (int t = 0; t < reference.Count; t++)
        {
            var a = actual[t].Span;
            var r = reference[t].Span;
            for (int i = 0; i < r.Length; i++)
            {
                diff += (double)(a[i] - r[i]) * (a[i] - r[i]);
                norm += (double)r[i] * r[i];
            }
        }
        return Math.Sqrt(diff / norm);
    }
}
