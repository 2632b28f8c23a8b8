using Lifelong.Evaluation;
using Lifelong.Tensors;

namespace Lifelong.Tests.Evaluation;

public class RepresentationProbeTests
{
    [Fact]
    public void Singular_values_of_a_diagonal_matrix_are_its_sorted_absolute_entries()
    {
        float[] a = [2, 0, 0, 0, -5, 0, 0, 0, 1, 0, 0, 0]; // 4 × 3, diag(2, −5, 1)
        Assert.Equal([5, 2, 1], SingularValues.Of(a, 4, 3).Select(s => Math.Round(s, 10)));
    }

    [Theory]
    [InlineData(30, 8)]
    [InlineData(8, 30)]
    [InlineData(1, 1)]
    public void Singular_values_of_U_diag_V_are_recovered(int rows, int cols)
    {
        // A = U·diag(s)·Vᵀ with orthonormal columns of U and V (Gram–Schmidt on random vectors).
        int k = Math.Min(rows, cols);
        var rng = new Rng(11);
        double[] s = [.. Enumerable.Range(0, k).Select(i => 10.0 / (i + 1))];
        var u = Orthonormal(rows, k, rng);
        var v = Orthonormal(cols, k, rng);
        var a = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                for (int i = 0; i < k; i++) sum += u[r][i] * s[i] * v[c][i];
                a[r * cols + c] = (float)sum;
            }
        var sigma = SingularValues.Of(a, rows, cols);
        for (int i = 0; i < k; i++) Assert.Equal(s[i], sigma[i], 4);
    }

    [Fact]
    public void Repeated_and_zero_singular_values_of_a_wide_layer_are_recovered()
    {
        // A probe-sized case (600 × 300, as a CReLU layer's features): s has a repeated cluster, a spread and a block of
        // exact zeros (rank 200), the shapes that stress a tridiagonal QL iteration's deflation.
        const int rows = 600, cols = 300, rank = 200;
        var rng = new Rng(5);
        double[] s = [.. Enumerable.Range(0, rank).Select(i => i < 50 ? 3.0 : 2.0 / (1 + 0.1 * i))];
        var u = Orthonormal(rows, rank, rng);
        var v = Orthonormal(cols, rank, rng);
        var a = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                for (int i = 0; i < rank; i++) sum += u[r][i] * s[i] * v[c][i];
                a[r * cols + c] = (float)sum;
            }
        var sigma = SingularValues.Of(a, rows, cols);
        var expected = s.OrderDescending().ToArray();
        Assert.Equal(cols, sigma.Length);
        for (int i = 0; i < rank; i++) Assert.Equal(expected[i], sigma[i], 4);
        for (int i = rank; i < cols; i++) Assert.True(sigma[i] < 1e-3, $"σ[{i}] = {sigma[i]} should be ~0");
    }

    [Fact]
    public void A_rank_one_matrix_has_one_nonzero_singular_value_and_a_zero_matrix_none()
    {
        float[] outer = [1, 2, 3, 2, 4, 6];   // [1, 2]ᵀ·[1, 2, 3]: σ = √5·√14
        var sigma = SingularValues.Of(outer, 2, 3);
        Assert.Equal(Math.Sqrt(5 * 14), sigma[0], 5);
        Assert.Equal(0, sigma[1], 5);
        Assert.All(SingularValues.Of(new float[12], 3, 4), v => Assert.Equal(0, v));
    }

    [Fact]
    public void Srank_counts_singular_values_up_to_99_percent_of_their_sum()
    {
        Assert.Equal(2, RepresentationProbe.Srank([3, 1, 0]));          // 3/4 < 0.99 ≤ 4/4
        Assert.Equal(1, RepresentationProbe.Srank([100, 0.5, 0.5]));     // 100/101 ≥ 0.99
        Assert.Equal(3, RepresentationProbe.Srank([1, 1, 1]));
        Assert.Equal(0, RepresentationProbe.Srank([0, 0]));
    }

    [Fact]
    public void Effective_rank_is_the_exponential_of_the_entropy_of_normalised_singular_values()
    {
        double expected = Math.Exp(-(0.75 * Math.Log(0.75) + 0.25 * Math.Log(0.25)));
        Assert.Equal(expected, RepresentationProbe.EffectiveRank([3, 1, 0]), 12);
        Assert.Equal(4, RepresentationProbe.EffectiveRank([2, 2, 2, 2]), 12);
    }

    [Fact]
    public void A_dead_unit_and_a_dormant_unit_are_counted()
    {
        // 3 probe inputs × 4 units: unit 1 is always 0 (dead), unit 3 is tiny (dormant at τ = 0.025), units 0 and 2 are active.
        float[] h =
        [
            1.0f, 0, 2.0f, 0.001f,
            2.0f, 0, 1.0f, 0.0f,
            3.0f, 0, 3.0f, 0.002f,
        ];
        var probe = RepresentationProbe.Measure("fc1", h, 3, 4);
        Assert.Equal(0.25, probe.DeadFraction, 12);
        // mean|h| per unit: 2, 0, 2, 0.001; layer mean 1.00025; scores 0, 0.001 ≤ τ → units 1 and 3 are dormant.
        Assert.Equal(0.5, probe.DormantFraction, 12);
        Assert.Equal("fc1", probe.Name);
        Assert.InRange(probe.Srank, 2, 3);
    }

    [Fact]
    public void Conv_channels_are_dead_only_when_zero_at_every_position()
    {
        // 2 inputs × 2 channels × 2 positions; channel 1 is zero except one position of input 1.
        float[] h = [1, 2, 0, 0, 3, 1, 0, 0.5f];
        var probe = RepresentationProbe.MeasureChannels("conv1", h, 2, 2, 2);
        Assert.Equal(0, probe.DeadFraction);
        var silent = RepresentationProbe.MeasureChannels("conv1", [1, 2, 0, 0, 3, 1, 0, 0], 2, 2, 2);
        Assert.Equal(0.5, silent.DeadFraction);
        Assert.Equal(1, silent.Srank);
    }

    private static double[][] Orthonormal(int n, int k, Rng rng)
    {
        var columns = new List<double[]>();
        while (columns.Count < k)
        {
            var v = Enumerable.Range(0, n).Select(_ => rng.NextNormal()).ToArray();
            foreach (var c in columns)
            {
                double dot = v.Zip(c, (x, y) => x * y).Sum();
                for (int i = 0; i < n; i++) v[i] -= dot * c[i];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            if (norm < 1e-6) continue;
            columns.Add([.. v.Select(x => x / norm)]);
        }
        return [.. Enumerable.Range(0, n).Select(r => columns.Select(c => c[r]).ToArray())];
    }
}
