using System.Globalization;

namespace Lifelong.Cli;

/// <summary>Mean ± sample standard deviation over seeds, as the experiment commands print it.</summary>
internal static class Spread
{
    /// <summary>"mean ± std" with <paramref name="digits"/> decimals; std 0 for one value.</summary>
    public static string Format(IEnumerable<double> values, int digits = 4)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{mean.ToString("F" + digits, CultureInfo.InvariantCulture)} ± {std.ToString("F" + digits, CultureInfo.InvariantCulture)}");
    }
}
