namespace Lifelong.Pretrained;

/// <summary>Solves A·X = B for a symmetric positive definite A by its Cholesky factor A = L·Lᵀ, in double precision.</summary>
public static class Cholesky
{
    /// <summary>X with A·X = B, or null when A is not numerically positive definite (a pivot ≤ 0).</summary>
    /// <param name="a">(n·n) row-major, symmetric; only the lower triangle is read.</param>
    /// <param name="b">(n·k) row-major right-hand sides.</param>
    /// <param name="n">The order of A.</param>
    /// <param name="k">The number of right-hand sides.</param>
    /// <returns>(n·k) row-major.</returns>
    public static double[]? Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int n, int k)
    {
        var l = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double diagonal = a[j * n + j];
            for (int p = 0; p < j; p++) diagonal -= l[j * n + p] * l[j * n + p];
            if (!(diagonal > 0)) return null;
            double root = Math.Sqrt(diagonal);
            l[j * n + j] = root;
            for (int i = j + 1; i < n; i++)
            {
                double sum = a[i * n + j];
                for (int p = 0; p < j; p++) sum -= l[i * n + p] * l[j * n + p];
                l[i * n + j] = sum / root;
            }
        }
        var x = b.ToArray();
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n; i++)   // L·y = b
            {
                double sum = x[i * k + c];
                for (int p = 0; p < i; p++) sum -= l[i * n + p] * x[p * k + c];
                x[i * k + c] = sum / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--)   // Lᵀ·x = y
            {
                double sum = x[i * k + c];
                for (int p = i + 1; p < n; p++) sum -= l[p * n + i] * x[p * k + c];
                x[i * k + c] = sum / l[i * n + i];
            }
        }
        return x;
    }
}
