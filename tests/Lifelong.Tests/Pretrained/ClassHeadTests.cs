using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class ClassHeadTests
{
    [Fact]
    public void Prototype_head_classifies_by_cosine_to_class_means_as_worked_by_hand()
    {
        // Class 0: (2, 0), (0, 2) → μ₀ = (1, 1). Class 2: (−4, 0) → μ₂ = (−4, 0). Class 1 never seen.
        var head = new PrototypeHead(3);
        head.Observe(Tensor.FromArray([2f, 0f, 0f, 2f, -4f, 0f], 3, 2), [0, 0, 2]);
        Assert.Equal([1.0, 1.0], head.Prototype(0));
        // x = (1, 0): cos to μ₀ = 1/√2, to μ₂ = −1; class 1 has no prototype → −2. x = (−1, 0.1): cos to μ₂ = 1/√1.01.
        var logits = head.Logits(Tensor.FromArray([1f, 0f, -1f, 0.1f], 2, 2)).ToArray();
        Assert.Equal(1 / Math.Sqrt(2), logits[0], 6);
        Assert.Equal(-2f, logits[1]);
        Assert.Equal(-1f, logits[2], 6);
        Assert.Equal((-1 + 0.1) / Math.Sqrt(1.01) / Math.Sqrt(2), logits[3], 6);   // cos((−1, 0.1), (1, 1))
        Assert.Equal(1 / Math.Sqrt(1.01), logits[5], 6);
        Assert.Equal([0, 2], Tensor.FromArray(logits, 2, 3).ArgMax(1));
    }

    [Fact]
    public void Ridge_head_without_projection_equals_the_normal_equation_solution()
    {
        var (x, y) = Toy(n: 60, d: 5, classes: 3, seed: 1);
        var head = new RanPacHead(3, projection: 0, new Rng(0));
        head.BeginTask(60);
        head.Observe(Tensor.FromArray(x, 60, 5), y);
        head.EndTask();

        // λ minimises the held-out error (up to rounding: on the plateau of tiny λ the errors agree to ~1e-12).
        var errors = RanPacHead.Lambdas.ToDictionary(l => l, l => NaiveHeldOutError(x, y, 60, 5, 3, l));
        Assert.True(errors[head.Lambda] <= errors.Values.Min() + 1e-9, $"λ = {head.Lambda}: error {errors[head.Lambda]}, best {errors.Values.Min()}");
        var expected = NaiveRidge([.. x.Select(v => (double)v)], y, 60, 5, 3, head.Lambda);
        // The head's per-batch Gram products are float32, so agreement is to float precision.
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], head.Weights[i], 6);
    }

    [Fact]
    public void Ridge_head_accumulates_tasks_and_projects_with_relu_random_features()
    {
        var (x, y) = Toy(n: 80, d: 4, classes: 4, seed: 2);
        var head = new RanPacHead(4, projection: 12, new Rng(5));
        for (int task = 0; task < 2; task++)   // rows 0..39 then 40..79
        {
            head.BeginTask(40);
            head.Observe(Tensor.FromArray(x[(task * 160)..((task + 1) * 160)], 40, 4), y.AsSpan(task * 40, 40));
            head.EndTask();
        }
        var h = head.RandomFeatures(Tensor.FromArray(x, 80, 4)).ToArray();
        Assert.All(h, v => Assert.True(v >= 0));
        var expected = NaiveRidge([.. h.Select(v => (double)v)], y, 80, 12, 4, head.Lambda);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], head.Weights[i], 5);
        // Logits are h·Wₒ.
        var logits = head.Logits(Tensor.FromArray(x[..4], 1, 4)).ToArray();
        for (int c = 0; c < 4; c++)
            Assert.Equal(Enumerable.Range(0, 12).Sum(j => h[j] * head.Weights[j * 4 + c]), logits[c], 4);
    }

    [Fact]
    public void Cholesky_solves_a_small_system()
    {
        // [[4, 2], [2, 3]]·x = [2, 1] → x = [0.5, 0]; second column [6, 5] → [1, 1].
        var x = Cholesky.Solve([4, 2, 2, 3], [2, 6, 1, 5], 2, 2)!;
        Assert.Equal([0.5, 1, 0, 1], x.Select(v => Math.Round(v, 12)));
        Assert.Null(Cholesky.Solve([1, 2, 2, 1], [1, 1], 2, 1));   // indefinite
    }

    /// <summary>Gaussian features around a class centre each, labels round-robin.</summary>
    private static (float[] X, int[] Y) Toy(int n, int d, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) x[i * d + j] = (float)(rng.NextNormal() + (j % classes == y[i] ? 2 : 0));
        }
        return (x, y);
    }

    private static double[] NaiveRidge(IReadOnlyList<double> x, int[] y, int n, int d, int classes, double lambda, int from = 0, int count = -1)
    {
        if (count < 0) count = n;
        // A = XᵀX + λI, B = XᵀY, solved by Gauss–Jordan elimination with partial pivoting.
        var a = new double[d, d + classes];
        for (int i = from; i < from + count; i++)
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < d; k++) a[j, k] += x[i * d + j] * x[i * d + k];
                a[j, d + y[i]] += x[i * d + j];
            }
        for (int j = 0; j < d; j++) a[j, j] += lambda;
        for (int col = 0; col < d; col++)
        {
            int pivot = Enumerable.Range(col, d - col).MaxBy(r => Math.Abs(a[r, col]));
            for (int k = 0; k < d + classes; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (int r = 0; r < d; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int k = 0; k < d + classes; k++) a[r, k] -= f * a[col, k];
            }
        }
        var w = new double[d * classes];
        for (int j = 0; j < d; j++) for (int c = 0; c < classes; c++) w[j * classes + c] = a[j, d + c] / a[j, j];
        return w;
    }

    /// <summary>Fit on the first 80 % of the rows, mean squared error against one-hot targets on the rest.</summary>
    private static double NaiveHeldOutError(float[] xf, int[] y, int n, int d, int classes, double lambda)
    {
        var x = xf.Select(v => (double)v).ToArray();
        int fit = (int)Math.Floor(0.8 * n);
        var w = NaiveRidge(x, y, n, d, classes, lambda, 0, fit);
        double mse = 0;
        for (int i = fit; i < n; i++)
            for (int c = 0; c < classes; c++)
            {
                double p = 0;
                for (int j = 0; j < d; j++) p += x[i * d + j] * w[j * classes + c];
                double e = (c == y[i] ? 1 : 0) - p;
                mse += e * e;
            }
        return mse / ((n - fit) * classes);
    }
}
