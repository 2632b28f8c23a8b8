using Lifelong.Reports;
using Lifelong.Sweeps;

namespace Lifelong.Tests.Sweeps;

public class SweepMathTests
{
    [Theory]
    // Two-sided 95 % critical values of Student's t, from any statistics table (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.2).
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    [InlineData(100, 1.984)]
    public void The_t_quantile_matches_the_published_table(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 3);

    [Fact]
    public void The_t_distribution_with_one_degree_of_freedom_is_the_Cauchy_distribution()
    {
        // F(t) = ½ + arctan(t)/π for ν = 1.
        foreach (double t in new[] { -3.0, -0.5, 0, 0.7, 2, 10 })
            Assert.Equal(0.5 + Math.Atan(t) / Math.PI, StudentT.Cdf(t, 1), 10);
        Assert.Equal(-StudentT.Quantile(0.9, 5), StudentT.Quantile(0.1, 5), 10);
    }

    [Fact]
    public void The_confidence_interval_is_t_times_the_standard_error()
    {
        // 0.8, 0.9, 1.0: mean 0.9, s = 0.1, half-width = 4.3027 · 0.1 / √3 = 0.24841.
        var stat = MeanStd.Of([0.8, 0.9, 1.0]);
        Assert.Equal(0.1, stat.Std, 12);
        Assert.Equal(0.24841, StudentT.HalfWidth95(stat.Std, stat.Count), 5);
        Assert.True(double.IsNaN(StudentT.HalfWidth95(0, 1)));
    }
}
