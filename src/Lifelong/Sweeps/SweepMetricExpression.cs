namespace Lifelong.Sweeps;

/// <summary>The metrics beyond the summary's: a path into <c>result.json</c> (<see cref="ResultPath"/>), and the paired
/// difference <c>A - B</c> of two metrics, taken run by run before the mean, so its spread is that of the difference
/// (<c>method.oracle_acc - acc</c>: how far SoTU's oracle head is above its own, seed by seed).</summary>
public static class SweepMetricExpression
{
    /// <summary>The name and value of expression <paramref name="text"/>; null when it is neither a path nor a difference
    /// (a plain word that is no alias), so the caller can name the known metrics.</summary>
    /// <exception cref="Lifelong.Catalog.ConfigurationException">A malformed path, or a difference with a bad side.</exception>
    public static (string Name, Func<Results.RunResult, double> Value)? Get(string text)
    {
        string trimmed = text.Trim();
        // " - " with spaces: a path's keys hold '_' but never " - ", and a metric name's '-' is written without spaces.
        string[] sides = trimmed.Split(" - ");
        if (sides.Length > 2)
            throw new Lifelong.Catalog.ConfigurationException($"metric '{trimmed}': a difference has two sides, A - B; write one column per difference.");
        if (sides.Length == 2)
        {
            var left = SweepMetrics.Get(sides[0]);
            var right = SweepMetrics.Get(sides[1]);
            return ($"{left.Name} - {right.Name}", r => left.Value(r) - right.Value(r));
        }
        if (!ResultPath.Aliases.ContainsKey(trimmed) && !trimmed.Contains('.', StringComparison.Ordinal) && !trimmed.Contains('[', StringComparison.Ordinal))
            return null;
        var path = ResultPath.Parse(trimmed);
        return (path.Text, path.Of);
    }
}
