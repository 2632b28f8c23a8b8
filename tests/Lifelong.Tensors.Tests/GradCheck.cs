using Lifelong.Tensors;

namespace Lifelong.Tensors.Tests;

/// <summary>Finite-difference checks of first- and second-order gradients.</summary>
/// <remarks>
/// The objective is L = Σ f(inputs) ⊙ w for a fixed random w, so every output element is exercised. Numeric
/// derivatives are central differences (L(x + ε) − L(x − ε)) / 2ε with the sums taken in double precision;
/// the ops run in float32, so ε is large enough (1e-2 by default) that rounding in the forward stays below
/// the tolerance, while the O(ε²) truncation error of a smooth op stays small as well.
/// </remarks>
internal static class GradCheck
{
    private static double s_largestError;
    private static readonly object Gate = new();

    /// <summary>The largest relative error any check has seen in this test run.</summary>
    public static double LargestError { get { lock (Gate) return s_largestError; } }

    public static void FirstOrder(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-2, double tolerance = 1e-2, int seed = 7)
    {
        foreach (var x in inputs) x.RequiresGrad = true;
        var weights = OutputWeights(f(inputs), seed);
        var analytic = Autograd.Grad(Objective(f, inputs, weights), inputs);
        for (int k = 0; k < inputs.Length; k++)
        {
            var span = inputs[k].Span;
            for (int i = 0; i < span.Length; i++)
            {
                float saved = span[i];
                span[i] = (float)(saved + eps);
                double plus = ObjectiveValue(f, inputs, weights);
                span[i] = (float)(saved - eps);
                double minus = ObjectiveValue(f, inputs, weights);
                span[i] = saved;
                double numeric = (plus - minus) / (2 * eps);
                Compare(analytic[k].Span[i], numeric, tolerance, $"input {k}, element {i}");
            }
        }
    }

    /// <summary>Checks the Hessian-vector product Grad(Σ ∇L·v) against the central difference of gradients along v.</summary>
    public static void SecondOrder(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-2, double tolerance = 2e-2, int seed = 11)
    {
        foreach (var x in inputs) x.RequiresGrad = true;
        var weights = OutputWeights(f(inputs), seed);
        var rng = new Rng((ulong)seed + 1);
        var directions = inputs.Select(x => Tensor.Normal(x.Shape, 0f, 1f, rng)).ToArray();

        var grads = Autograd.Grad(Objective(f, inputs, weights), inputs, createGraph: true);
        Tensor dot = Tensor.Scalar(0f);
        for (int k = 0; k < inputs.Length; k++) dot = dot + (grads[k] * directions[k]).Sum();
        var hvp = Autograd.Grad(dot, inputs);

        var plus = GradientsAt(f, inputs, weights, directions, +eps);
        var minus = GradientsAt(f, inputs, weights, directions, -eps);
        for (int k = 0; k < inputs.Length; k++)
            for (int i = 0; i < inputs[k].Size; i++)
                Compare(hvp[k].Span[i], (plus[k][i] - minus[k][i]) / (2 * eps), tolerance, $"HVP input {k}, element {i}");
    }

    private static double[][] GradientsAt(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights, Tensor[] directions, double step)
    {
        var moved = inputs.Select((x, k) =>
        {
            var values = x.ToArray();
            var d = directions[k].Span;
            for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] + step * d[i]);
            return Tensor.FromArray(values, x.Shape.ToArray());
        }).ToArray();
        foreach (var m in moved) m.RequiresGrad = true;
        var g = Autograd.Grad(Objective(f, moved, weights), moved);
        return g.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();
    }

    private static Tensor OutputWeights(Tensor output, int seed) => Tensor.Uniform(output.Shape, -1f, 1f, new Rng((ulong)seed));

    private static Tensor Objective(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights) => (f(inputs) * weights).Sum();

    private static double ObjectiveValue(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor weights)
    {
        using var _ = Autograd.NoGrad();
        var y = f(inputs).Span;
        var w = weights.Span;
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += (double)y[i] * w[i];
        return sum;
    }

    private static void Compare(double analytic, double numeric, double tolerance, string where)
    {
        double error = Math.Abs(analytic - numeric) / Math.Max(1.0, Math.Abs(numeric));
        lock (Gate)
        {
            s_largestError = Math.Max(s_largestError, error);
            // For closing notes and docs: LIFELONG_GRADCHECK_LOG=file collects every check's error.
            if (Environment.GetEnvironmentVariable("LIFELONG_GRADCHECK_LOG") is { Length: > 0 } log)
                File.AppendAllText(log, $"{error:G6} {where}\n");
        }
        Assert.True(error <= tolerance, $"Gradient mismatch at {where}: analytic {analytic:G6}, numeric {numeric:G6} (relative error {error:G3} > {tolerance}).");
    }

    /// <summary>A random tensor whose entries stay at least <paramref name="margin"/> away from 0, so kinks (relu, abs, sign) are not crossed by ε.</summary>
    public static Tensor AwayFromZero(Rng rng, float margin, params int[] dims)
    {
        var t = Tensor.Uniform(new Shape(dims), -1f, 1f, rng);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = s[i] < 0 ? s[i] - margin : s[i] + margin;
        return t;
    }

    public static Tensor Random(Rng rng, params int[] dims) => Tensor.Uniform(new Shape(dims), -1f, 1f, rng);

    public static Tensor Positive(Rng rng, params int[] dims) => Tensor.Uniform(new Shape(dims), 0.5f, 2f, rng);
}
