using Lifelong.Catalog;

namespace Lifelong.Sweeps;

/// <summary>What a sweep file says: a base run config, axes over its settings, the seeds, and optionally a selection.</summary>
/// <remarks>
/// A variant is one point of the axes: the <see cref="List"/> axes are zipped (their i-th values go together, so they must
/// be equally long), the <see cref="Grid"/> axes are crossed, and every list point is crossed with every grid point. A
/// <c>compare</c> list in the base config is one more list axis. Every variant runs on every seed.
/// </remarks>
/// <param name="Base">The base run config's settings (key → values), as in a <c>lifelong run</c> config file.</param>
/// <param name="Grid">Axes crossed with each other.</param>
/// <param name="List">Axes zipped together.</param>
/// <param name="Seeds">The seeds every variant runs on; empty: the base config's seed.</param>
/// <param name="Select">The tuning-then-final-seeds protocol, when asked for (it then supplies the seeds).</param>
public sealed record SweepDefinition(
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Base,
    IReadOnlyList<SweepAxis> Grid,
    IReadOnlyList<SweepAxis> List,
    IReadOnlyList<ulong> Seeds,
    SweepSelection? Select)
{
    /// <summary>Every variant's axis settings (key → value), list axes outermost, then grid axes in file order.</summary>
    /// <exception cref="ConfigurationException">List axes of different lengths, an empty axis, or a key on two axes.</exception>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Points()
    {
        var lists = List.ToList();
        var compare = Base.Where(s => s.Key == "compare").SelectMany(s => s.Value).ToList();
        if (compare.Count > 0) lists.Add(new SweepAxis("compare", compare));
        foreach (var axis in lists.Concat(Grid))
            if (axis.Values.Count == 0) throw new ConfigurationException($"sweep axis '{axis.Key}' has no values.");
        var twice = lists.Concat(Grid).GroupBy(a => a.Key).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ConfigurationException($"sweep setting '{twice.Key}' is on two axes; put it on one.");
        if (lists.Select(a => a.Values.Count).Distinct().Count() > 1)
            throw new ConfigurationException($"the 'list' axes are zipped and must be equally long: {string.Join(", ", lists.Select(a => $"{a.Key} has {a.Values.Count}"))}.");

        int listLength = lists.Count == 0 ? 1 : lists[0].Values.Count;
        var points = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        for (int i = 0; i < listLength; i++)
        {
            var zipped = lists.Select(a => KeyValuePair.Create(a.Key, a.Values[i])).ToList();
            foreach (var crossed in Cross(0)) points.Add([.. zipped, .. crossed]);
        }
        return points;

        IEnumerable<List<KeyValuePair<string, string>>> Cross(int axis)
        {
            if (axis == Grid.Count) { yield return []; yield break; }
            foreach (string value in Grid[axis].Values)
                foreach (var rest in Cross(axis + 1)) yield return [KeyValuePair.Create(Grid[axis].Key, value), .. rest];
        }
    }

    /// <summary>The seeds the first phase runs: the tuning seeds under a selection, else <see cref="Seeds"/>, else the
    /// base config's <c>seed</c> (0 when absent).</summary>
    public IReadOnlyList<ulong> FirstSeeds()
    {
        if (Select is not null) return Select.TuningSeeds;
        if (Seeds.Count > 0) return Seeds;
        var seed = Base.LastOrDefault(s => s.Key == "seed").Value;
        return [seed is null ? 0 : (ulong)OptionBinder.Convert(seed[0], typeof(ulong), "setting 'seed'")!];
    }
}
