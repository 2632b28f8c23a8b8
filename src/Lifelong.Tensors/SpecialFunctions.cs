namespace Lifelong.Tensors;

/// <summary>Scalar special functions .NET's Math lacks, accurate to about 1e-15 relative.</summary>
internal static class SpecialFunctions
{
    private static readonly double TwoOverSqrtPi = 2.0 / Math.Sqrt(Math.PI);

    /// <summary>erf(x): Maclaurin series for |x| &lt; 2.5, 1 − erfc(|x|) by continued fraction beyond.</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (double.IsNaN(x)) return double.NaN;
        if (ax < 2.5)
        {
            // erf x = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)); terms shrink fast enough below 2.5 that double keeps ~14 digits.
            double x2 = x * x, term = x, sum = x;
            for (int n = 1; n < 100; n++)
            {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return TwoOverSqrtPi * sum;
        }
        double erfc = ErfcContinuedFraction(ax);
        return x > 0 ? 1.0 - erfc : erfc - 1.0;
    }

    /// <summary>erfc(x) for x ≥ 2.5: e^(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated by modified Lentz.</summary>
    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27) return 0.0;
        const double tiny = 1e-300;
        double f = x, c = x, d = 0.0;
        for (int n = 1; n < 300; n++)
        {
            double an = n * 0.5;
            d = x + an * d;
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + an / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
