using Lifelong.Catalog;

namespace Lifelong.Sweeps;

/// <summary>The selection protocol of the L2 Init paper (Kumar, Marklund, Van Roy 2023): each method's setting is chosen by
/// a metric's mean over tuning seeds, and the chosen settings are run again on fresh seeds, which alone are reported.</summary>
/// <param name="Metric">The metric chosen on (a <see cref="SweepMetrics"/> name, e.g. <c>online_accuracy</c>).</param>
/// <param name="Maximize">True to pick the highest mean, false the lowest.</param>
/// <param name="TuningSeeds">The seeds every setting runs on.</param>
/// <param name="FinalSeeds">The seeds the chosen settings run on; the final table reports these only.</param>
/// <param name="By">The settings that name a group to choose within (default <c>method</c>): for a component setting the
/// component's name (<c>l2init</c> of <c>l2init:lambda=0.01</c>), for a compare entry its methods, else the value.</param>
public sealed record SweepSelection(string Metric, bool Maximize, IReadOnlyList<ulong> TuningSeeds, IReadOnlyList<ulong> FinalSeeds, IReadOnlyList<string> By)
{
    /// <summary>Checks the selection; throws <see cref="ConfigurationException"/> naming what to change.</summary>
    public void Validate()
    {
        SweepMetrics.Get(Metric);
        if (TuningSeeds.Count == 0) throw new ConfigurationException("select: 'tuning_seeds' is empty; give the seeds every setting runs on, e.g. [0, 1, 2].");
        if (FinalSeeds.Count == 0) throw new ConfigurationException("select: 'final_seeds' is empty; give fresh seeds for the chosen settings, e.g. [3, 4, 5, 6, 7].");
        var shared = TuningSeeds.Intersect(FinalSeeds).ToList();
        if (shared.Count > 0)
            throw new ConfigurationException($"select: seed {shared[0]} is both a tuning and a final seed; the final seeds must be fresh so the chosen setting is not scored on the runs that chose it.");
    }

    /// <summary>The group a variant belongs to, from its axis values.</summary>
    public string GroupOf(IReadOnlyList<KeyValuePair<string, string>> settings) =>
        string.Join(", ", By.Select(key => $"{key}={NameOf(key, settings.FirstOrDefault(s => SameKey(s.Key, key)).Value)}"));

    /// <summary>For each group, the variant with the best mean of the metric over its tuning runs; variants with a run
    /// that diverged or failed are not candidates (the paper discards settings that diverge).</summary>
    /// <param name="candidates">Variant id → (group, the metric's values over the tuning seeds, whether every run succeeded).</param>
    /// <returns>Group → the chosen variant id, in the order groups first appear.</returns>
    public IReadOnlyList<KeyValuePair<string, string>> Choose(IReadOnlyList<(string Variant, string Group, IReadOnlyList<double> Values, bool Complete)> candidates)
    {
        var chosen = new List<KeyValuePair<string, string>>();
        foreach (var group in candidates.GroupBy(c => c.Group))
        {
            var scored = group.Where(c => c.Complete && c.Values.Count > 0 && c.Values.All(double.IsFinite))
                .Select(c => (c.Variant, Mean: c.Values.Average())).ToList();
            if (scored.Count == 0) continue;
            // Ties keep the first in sweep order, so the choice does not depend on anything but the file.
            var best = scored[0];
            foreach (var s in scored.Skip(1))
                if (Maximize ? s.Mean > best.Mean : s.Mean < best.Mean) best = s;
            chosen.Add(KeyValuePair.Create(group.Key, best.Variant));
        }
        return chosen;
    }

    private static bool SameKey(string a, string b) => Normalise(a) == Normalise(b);

    private static string Normalise(string key) => key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "methods" => "method",
        var k => k,
    };

    private static string NameOf(string key, string? value)
    {
        if (value is null) return "(all)";
        return Normalise(key) switch
        {
            "compare" => value.Split('|')[0].Trim(),
            "method" => string.Join('+', MethodCatalog.SplitComposite(value).Select(m => ComponentSpec.Parse(m, "method").Name)),
            "scenario" or "model" or "optimizer" => ComponentSpec.Parse(value, key).Name,
            _ => value,
        };
    }
}
