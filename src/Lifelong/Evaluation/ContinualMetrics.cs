using Lifelong.Results;

namespace Lifelong.Evaluation;

/// <summary>The standard continual-learning metrics from an accuracy matrix R (R[i][j]: accuracy on task j after training through task i).</summary>
/// <remarks>
/// The papers' formulas (docs/metrics.md): GEM's ACC, BWT and FWT with T−1 divisors (Lopez-Paz &amp; Ranzato 2017) — GEM's
/// code divides by T instead; Chaudhry et al. (2018)'s forgetting with the max over earlier rows — Mammoth's code also
/// lets the final row into the max (<see cref="ForgettingMammoth"/>). Entries an evaluation schedule skipped (null) are
/// skipped; an entry a formula cannot do without is an error that names it.
/// </remarks>
public static class ContinualMetrics
{
    /// <summary>ACC = (1/T) Σⱼ R[T−1][j].</summary>
    public static double Acc(IReadOnlyList<IReadOnlyList<double?>> r)
    {
        int t = Validate(r);
        return Enumerable.Range(0, t).Average(j => Need(r, t - 1, j));
    }

    /// <summary>Mean over fully evaluated rows i of (1/(i+1)) Σ_{j≤i} R[i][j] (iCaRL's average incremental accuracy).</summary>
    public static double AverageIncrementalAccuracy(IReadOnlyList<IReadOnlyList<double?>> r)
    {
        Validate(r);
        var rows = Enumerable.Range(0, r.Count).Where(i => Enumerable.Range(0, i + 1).All(j => r[i][j].HasValue)).ToList();
        return rows.Count == 0 ? 0 : rows.Average(i => Enumerable.Range(0, i + 1).Average(j => r[i][j]!.Value));
    }

    /// <summary>BWT = (1/(T−1)) Σ_{j&lt;T−1} (R[T−1][j] − R[j][j]); 0 for one task.</summary>
    public static double Bwt(IReadOnlyList<IReadOnlyList<double?>> r)
    {
        int t = Validate(r);
        return t == 1 ? 0 : Enumerable.Range(0, t - 1).Average(j => Need(r, t - 1, j) - Need(r, j, j));
    }

    /// <summary>FWT = (1/(T−1)) Σ_{j≥1} (R[j−1][j] − b[j]), b the accuracy of the randomly initialised model; 0 for one task.</summary>
    public static double Fwt(IReadOnlyList<IReadOnlyList<double?>> r, IReadOnlyList<double> randomInit)
    {
        int t = Validate(r);
        if (randomInit.Count != t) throw new ArgumentException($"FWT: {randomInit.Count} random-init accuracies for {t} tasks.", nameof(randomInit));
        return t == 1 ? 0 : Enumerable.Range(1, t - 1).Average(j => Need(r, j - 1, j) - randomInit[j]);
    }

    /// <summary>Forgetting (Chaudhry et al. 2018): (1/(T−1)) Σ_{j&lt;T−1} (max_{j≤l≤T−2} R[l][j] − R[T−1][j]); 0 for one task.</summary>
    public static double Forgetting(IReadOnlyList<IReadOnlyList<double?>> r) => ForgettingOver(r, includeFinalRow: false);

    /// <summary>Mammoth's variant: the max also runs over the final row, so each task's forgetting is ≥ 0.</summary>
    public static double ForgettingMammoth(IReadOnlyList<IReadOnlyList<double?>> r) => ForgettingOver(r, includeFinalRow: true);

    /// <summary>Every summary metric at once.</summary>
    public static RunSummary Summarize(IReadOnlyList<IReadOnlyList<double?>> r, IReadOnlyList<double> randomInit, double totalOnlineAccuracy) =>
        r.Count == 0
            ? new RunSummary(0, 0, 0, 0, 0, totalOnlineAccuracy)
            : new RunSummary(Acc(r), AverageIncrementalAccuracy(r), Bwt(r), Fwt(r, randomInit), Forgetting(r), totalOnlineAccuracy);

    private static double ForgettingOver(IReadOnlyList<IReadOnlyList<double?>> r, bool includeFinalRow)
    {
        int t = Validate(r);
        if (t == 1) return 0;
        int lastRow = includeFinalRow ? t - 1 : t - 2;
        return Enumerable.Range(0, t - 1).Average(j =>
        {
            double best = Enumerable.Range(j, lastRow - j + 1).Select(l => r[l][j]).Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(double.NaN).Max();
            if (double.IsNaN(best)) throw new ArgumentException($"Forgetting: task {j} was never evaluated before the last task (R[{j}][{j}] is missing).");
            return best - Need(r, t - 1, j);
        });
    }

    private static int Validate(IReadOnlyList<IReadOnlyList<double?>> r)
    {
        if (r.Count == 0) throw new ArgumentException("The accuracy matrix is empty.");
        int t = r[0].Count;
        if (r.Count != t) throw new ArgumentException($"The accuracy matrix has {r.Count} rows of {t}; it must be square (T × T).");
        for (int i = 0; i < t; i++)
            if (r[i].Count != t) throw new ArgumentException($"Row {i} of the accuracy matrix has {r[i].Count} entries, not {t}.");
        return t;
    }

    private static double Need(IReadOnlyList<IReadOnlyList<double?>> r, int i, int j) =>
        r[i][j] ?? throw new ArgumentException($"R[{i}][{j}] was not evaluated, and the metric needs it.");
}
