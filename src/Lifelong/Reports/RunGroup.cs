using System.Text.Json;
using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>Runs that differ only by seed, shown together as mean ± std.</summary>
/// <param name="Distinction">The config values (or task count) that tell this group apart from another with the same
/// scenario and methods; empty when no other group shares them.</param>
/// <param name="Colour">The group's colour in every overlaid chart (CSS hex).</param>
/// <param name="Runs">The runs, in increasing seed order.</param>
public sealed record RunGroup(string Distinction, string Colour, IReadOnlyList<ReportRun> Runs)
{
    /// <summary>Config keys that vary between seeds of one experiment, or describe a run without defining it (provenance), and so never split a group, compared after
    /// lower-casing and removing <c>_</c> and <c>-</c> (<c>out_dir</c> is <c>outdir</c>).</summary>
    public static IReadOnlySet<string> IgnoredConfigKeys { get; } = new HashSet<string>
    {
        "seed", "firstseed", "out", "outdir", "output", "outputdir", "dir", "rundir", "resume", "provenance",
        "timestamp", "time", "date", "datetime", "created", "createdat", "started", "startedat", "finished", "finishedat",
    };

    /// <summary>What the report calls the group: <c>scenario · method+method</c>, then the <see cref="Distinction"/> in parentheses.</summary>
    public string Label => BaseLabel(Runs[0].Result) + (Distinction.Length == 0 ? "" : $" ({Distinction})");

    /// <summary>The seeds of the runs, in increasing order.</summary>
    public IEnumerable<ulong> Seeds => Runs.Select(r => r.Result.Seed);

    /// <summary>The scenario, shared by every run.</summary>
    public string Scenario => Runs[0].Result.Scenario;

    /// <summary>The methods, shared by every run.</summary>
    public IReadOnlyList<string> Methods => Runs[0].Result.Methods;

    /// <summary>The number of tasks T, shared by every run.</summary>
    public int Tasks => Runs[0].Result.Tasks;

    /// <summary>Mean ± std over the runs of one number per run.</summary>
    public MeanStd Stat(Func<RunResult, double> metric) => MeanStd.Of(Runs.Select(r => metric(r.Result)));

    /// <summary>Mean ± std over the runs of one optional number per run (null where a run lacks it).</summary>
    public MeanStd Stat(Func<RunResult, double?> metric) => MeanStd.Of(Runs.Select(r => metric(r.Result)));

    /// <summary>Groups runs by (scenario, methods, T, config without <see cref="IgnoredConfigKeys"/>), in the order each
    /// group first appears; a group's colour follows that order.</summary>
    public static IReadOnlyList<RunGroup> Form(IReadOnlyList<ReportRun> runs)
    {
        var keyed = runs.Select(r => (Run: r, Config: ConfigPairs(r.ConfigText))).ToList();
        var groups = keyed
            .GroupBy(k => string.Join('\n', [k.Run.Result.Scenario, string.Join('+', k.Run.Result.Methods), $"T={k.Run.Result.Tasks}", .. k.Config]))
            .Select(g => (Runs: g.Select(k => k.Run).OrderBy(r => r.Result.Seed).ToList(), g.First().Config))
            .ToList();
        var labels = groups.Select(g => BaseLabel(g.Runs[0].Result)).ToList();
        var result = new List<RunGroup>(groups.Count);
        for (int i = 0; i < groups.Count; i++)
        {
            var twins = Enumerable.Range(0, groups.Count).Where(k => labels[k] == labels[i]).ToList();
            string distinction = "";
            if (twins.Count > 1)
            {
                var distinct = groups[i].Config.Where(pair => twins.Any(k => !groups[k].Config.Contains(pair))).Take(4).ToList();
                if (groups.Select(g => g.Runs[0].Result.Tasks).Where((_, k) => twins.Contains(k)).Distinct().Count() > 1)
                    distinct.Insert(0, $"T={groups[i].Runs[0].Result.Tasks}");
                distinction = distinct.Count > 0 ? string.Join(", ", distinct) : $"#{twins.IndexOf(i) + 1}";
            }
            result.Add(new RunGroup(distinction, Markup.Colour(i), groups[i].Runs));
        }
        return result;
    }

    /// <summary>The config settings (dotted paths, e.g. <c>optimizer</c>, <c>methods[0]</c>) whose values are not the same
    /// in every group, in sorted order; empty for one group. The report says these, so a reader sees what was varied.</summary>
    public static IReadOnlyList<string> DifferingSettings(IReadOnlyList<RunGroup> groups)
    {
        if (groups.Count < 2) return [];
        var configs = groups.Select(g => ConfigPairs(g.Runs[0].ConfigText)
            .Select(pair => (Path: pair[..Math.Max(0, pair.IndexOf('=', StringComparison.Ordinal))], Pair: pair)).ToList()).ToList();
        var paths = configs.SelectMany(c => c.Select(p => p.Path)).Where(p => p.Length > 0).Distinct().Order(StringComparer.Ordinal);
        return [.. paths.Where(path => configs.Select(c => c.FirstOrDefault(p => p.Path == path).Pair).Distinct().Count() > 1)];
    }

    private static string BaseLabel(RunResult result) =>
        $"{result.Scenario} · {(result.Methods.Count == 0 ? "(no method)" : string.Join('+', result.Methods))}";

    /// <summary>The config flattened to sorted <c>path=value</c> lines, ignored keys dropped; text that is not JSON is one line.</summary>
    internal static IReadOnlyList<string> ConfigPairs(string? configText)
    {
        if (string.IsNullOrWhiteSpace(configText)) return [];
        var pairs = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(configText);
            Flatten(document.RootElement, "", pairs);
        }
        catch (JsonException)
        {
            return [configText.Trim()];
        }
        pairs.Sort(StringComparer.Ordinal);
        return pairs;
    }

    private static void Flatten(JsonElement element, string path, List<string> pairs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string normalised = property.Name.ToLowerInvariant().Replace("_", "").Replace("-", "");
                    if (!IgnoredConfigKeys.Contains(normalised))
                        Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", pairs);
                }
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray()) Flatten(item, $"{path}[{index++}]", pairs);
                break;
            default:
                pairs.Add($"{path}={element.GetRawText()}");
                break;
        }
    }
}
