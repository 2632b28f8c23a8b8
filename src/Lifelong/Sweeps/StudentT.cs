namespace Lifelong.Sweeps;

/// <summary>Student's t distribution: the quantile that turns a sample's standard error into a confidence interval.</summary>
/// <remarks>The CDF is written with the regularized incomplete beta function, F(t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0,
/// evaluated by its continued fraction (Numerical Recipes §6.4); the quantile inverts it by bisection, to 1e-12.</remarks>
public static class StudentT
{
    /// <summary>The p-quantile of t with <paramref name="degreesOfFreedom"/> ν (t₀.₉₇₅ with ν = 2 is 4.3027).</summary>
    public static double Quantile(double p, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability strictly between 0 and 1");
        if (p < 0.5) return -Quantile(1 - p, degreesOfFreedom);
        double low = 0, high = 1;
        while (Cdf(high, degreesOfFreedom) < p) high *= 2;
        for (int i = 0; i < 200 && high - low > 1e-12 * Math.Max(1, high); i++)
        {
            double mid = 0.5 * (low + high);
            if (Cdf(mid, degreesOfFreedom) < p) low = mid;
            else high = mid;
        }
        return 0.5 * (low + high);
    }

    /// <summary>P(T ≤ <paramref name="t"/>) for ν = <paramref name="degreesOfFreedom"/>.</summary>
    public static double Cdf(double t, int degreesOfFreedom)
    {
        double nu = degreesOfFreedom;
        double tail = 0.5 * IncompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The half-width of the two-sided 95 % confidence interval of a mean: t₀.₉₇₅,ₙ₋₁ · s / √n; NaN for n &lt; 2.</summary>
    public static double HalfWidth95(double std, int count) =>
        count < 2 ? double.NaN : Quantile(0.975, count - 1) * std / Math.Sqrt(count);

    private static double IncompleteBeta(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(x, a, b) / a
            : 1 - front * ContinuedFraction(1 - x, b, a) / b;
    }

    // Lentz's method for the continued fraction of I_x(a, b).
    private static double ContinuedFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++)
        {
            double numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + numerator * d; d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + numerator / c; if (Math.Abs(c) < Tiny) c = Tiny;
            h *= d * c;
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + numerator * d; d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + numerator / c; if (Math.Abs(c) < Tiny) c = Tiny;
            double step = d * c;
            h *= step;
            if (Math.Abs(step - 1) < 1e-15) break;
        }
        return h;
    }

    // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
    private static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        double sum = g[0];
        for (int i = 1; i < 9; i++) sum += g[i] / (x + i);
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
