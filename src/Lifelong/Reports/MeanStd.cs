namespace Lifelong.Reports;

/// <summary>The mean and sample standard deviation of the finite values among several runs.</summary>
/// <param name="Mean">(1/n) Σ xᵢ; NaN when <paramref name="Count"/> is 0.</param>
/// <param name="Std">√(Σ (xᵢ − mean)² / (n − 1)), the sample (Bessel-corrected) deviation; 0 when n ≤ 1.</param>
/// <param name="Count">n, the number of finite values (nulls and NaNs are left out).</param>
public readonly record struct MeanStd(double Mean, double Std, int Count)
{
    /// <summary>Mean and deviation of the finite, non-null <paramref name="values"/>.</summary>
    public static MeanStd Of(IEnumerable<double?> values)
    {
        var xs = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).ToList();
        if (xs.Count == 0) return new MeanStd(double.NaN, 0, 0);
        double mean = xs.Average();
        double std = xs.Count > 1 ? Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1)) : 0;
        return new MeanStd(mean, std, xs.Count);
    }

    /// <summary>Mean and deviation of the finite <paramref name="values"/>.</summary>
    public static MeanStd Of(IEnumerable<double> values) => Of(values.Select(v => (double?)v));

    /// <summary><c>0.912 ± 0.013</c> when several values were averaged, <c>0.912</c> for one, <c>n/a</c> for none.</summary>
    public string Format(int decimals = 3) => Count switch
    {
        0 => "n/a",
        1 => Markup.Fixed(Mean, decimals),
        _ => $"{Markup.Fixed(Mean, decimals)} ± {Markup.Fixed(Std, decimals)}",
    };
}
