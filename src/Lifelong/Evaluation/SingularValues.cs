namespace Lifelong.Evaluation;

/// <summary>Singular values of a small dense matrix, in double precision.</summary>
/// <remarks>
/// σ = √λ for the eigenvalues λ of the smaller Gram matrix (AᵀA or AAᵀ, accumulated in double), found by cyclic Jacobi
/// rotations until every off-diagonal element is negligible. For probe matrices (≤ a few thousand × a few hundred)
/// this costs milliseconds; squaring loses the smallest σ below ~1e−8·σ_max, far below what srank or the effective rank
/// can see.
/// </remarks>
public static class SingularValues
{
    /// <summary>The min(rows, cols) singular values of the row-major <paramref name="rows"/> × <paramref name="cols"/> matrix, descending.</summary>
    public static double[] Of(ReadOnlySpan<float> matrix, int rows, int cols)
    {
        if (rows < 0 || cols < 0 || matrix.Length != rows * cols)
            throw new ArgumentException($"SingularValues: {matrix.Length} values do not make a {rows} × {cols} matrix.", nameof(matrix));
        if (rows == 0 || cols == 0) return [];
        var gram = Gram(matrix, rows, cols, out int n);
        var eigenvalues = SymmetricEigenvalues(gram, n);
        var sigma = eigenvalues.Select(l => Math.Sqrt(Math.Max(l, 0))).OrderDescending().ToArray();
        return sigma;
    }

    private static double[] Gram(ReadOnlySpan<float> a, int rows, int cols, out int n)
    {
        n = Math.Min(rows, cols);
        var g = new double[n * n];
        var row = new double[cols];
        if (cols <= rows)
        {
            // AᵀA (cols × cols): Σ over rows of outer products, in double.
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++) row[c] = a[r * cols + c];
                for (int i = 0; i < cols; i++)
                {
                    double ri = row[i];
                    if (ri == 0) continue;
                    for (int j = i; j < cols; j++) g[i * n + j] += ri * row[j];
                }
            }
        }
        else
        {
            // AAᵀ (rows × rows).
            for (int i = 0; i < rows; i++)
                for (int j = i; j < rows; j++)
                {
                    double sum = 0;
                    for (int c = 0; c < cols; c++) sum += (double)a[i * cols + c] * a[j * cols + c];
                    g[i * n + j] = sum;
                }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) g[i * n + j] = g[j * n + i];
        return g;
    }

    /// <summary>Eigenvalues of a symmetric n × n matrix by cyclic Jacobi (the matrix is overwritten).</summary>
    private static double[] SymmetricEigenvalues(double[] a, int n)
    {
        double scale = 0;
        for (int i = 0; i < n; i++) scale = Math.Max(scale, Math.Abs(a[i * n + i]));
        if (scale == 0) return new double[n];
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (Math.Sqrt(off) <= 1e-15 * scale * n) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (Math.Abs(apq) <= 1e-300) continue;
                    double app = a[p * n + p], aqq = a[q * n + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p], akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k], aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return values;
    }
}
