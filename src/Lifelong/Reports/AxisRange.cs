namespace Lifelong.Reports;

/// <summary>An axis from <see cref="Min"/> to <see cref="Max"/> with a tick every <see cref="Step"/>: the data's range widened
/// to whole 1-2-5 steps, so a difference of 0.01 between two curves near 0.95 is visible rather than flattened on [0, 1].</summary>
/// <param name="Min">The lowest value shown (a tick).</param>
/// <param name="Max">The highest value shown (a tick).</param>
/// <param name="Step">The distance between ticks.</param>
internal readonly record struct AxisRange(double Min, double Max, double Step)
{
    /// <summary>About this many intervals between ticks.</summary>
    public const int Intervals = 5;

    /// <summary>The range for data spanning [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="low">The smallest value to show.</param>
    /// <param name="high">The largest value to show.</param>
    /// <param name="includeZero">Stretch the range to 0 (for quantities whose size, not only their differences, matters).</param>
    /// <param name="bounds">Values the axis never goes past (accuracies: [0, 1]); the data itself is never cut.</param>
    public static AxisRange Fit(double low, double high, bool includeZero = false, (double Min, double Max)? bounds = null)
    {
        if (includeZero) (low, high) = (Math.Min(low, 0), Math.Max(high, 0));
        if (high - low < 1e-12)
        {
            // A flat line: a small window around it (±5 % of its size, at least ±0.05), so it sits mid-plot.
            double pad = Math.Max(Math.Abs(low) * 0.05, 0.05);
            (low, high) = (low - pad, high + pad);
        }
        double step = Markup.NiceStep((high - low) / Intervals);
        double min = Math.Floor(low / step + 1e-9) * step, max = Math.Ceiling(high / step - 1e-9) * step;
        if (bounds is { } b)
        {
            if (min < b.Min && low >= b.Min) min = b.Min;
            if (max > b.Max && high <= b.Max) max = b.Max;
        }
        return new AxisRange(Clean(min), Clean(max), step);
    }

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/> (multiples of the step, and the ends).</summary>
    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        for (double t = Math.Ceiling(Min / Step - 1e-9) * Step; t <= Max + Step * 1e-6; t += Step) ticks.Add(Clean(t));
        return ticks;
    }

    /// <summary>Rounds away the 1e-17 residues of multiplying a step (0.1 × 3 = 0.30000000000000004).</summary>
    private static double Clean(double value) => Math.Round(value, 12);
}
