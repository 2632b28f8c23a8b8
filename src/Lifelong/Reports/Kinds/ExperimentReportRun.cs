using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lifelong.Reports.Kinds;

/// <summary>A run directory of an experiment kind other than a continual run (<c>meta</c>, <c>pretrain</c>, <c>transfer</c>,
/// <c>distill</c>) as the report sees it: its <c>result.json</c> and <c>config.json</c> as JSON, and its <c>metrics.jsonl</c> lines.</summary>
/// <param name="Directory">The run directory, as given.</param>
/// <param name="Kind">The <c>kind</c> of its result.</param>
/// <param name="Result">The parsed <c>result.json</c>.</param>
/// <param name="ConfigText">The raw <c>config.json</c> text; null when absent.</param>
/// <param name="Metrics">The lines of <c>metrics.jsonl</c> that parse as JSON objects (a torn last line is skipped).</param>
public sealed record ExperimentReportRun(string Directory, string Kind, JsonObject Result, string? ConfigText, IReadOnlyList<JsonObject> Metrics)
{
    /// <summary>The experiment kind of <paramref name="directory"/>'s <c>result.json</c> when it is one the report draws
    /// besides continual runs (<see cref="KindReports.All"/>), else null.</summary>
    public static string? KindOf(string directory)
    {
        string path = Path.Combine(directory, "result.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
                && KindReports.All.Any(k => k.Kind == kind.GetString()) ? kind.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the run in <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">result.json is missing, unreadable or not a JSON object with a <c>kind</c>.</exception>
    public static ExperimentReportRun Load(string directory)
    {
        string resultPath = Path.Combine(directory, "result.json");
        try
        {
            var result = JsonNode.Parse(File.ReadAllText(resultPath)) as JsonObject ?? throw new InvalidDataException($"{resultPath}: not a JSON object.");
            string kind = result["kind"]?.GetValue<string>() ?? throw new InvalidDataException($"{resultPath}: no 'kind'.");
            string configPath = Path.Combine(directory, "config.json");
            string? config = File.Exists(configPath) ? File.ReadAllText(configPath) : null;
            var metrics = new List<JsonObject>();
            string metricsPath = Path.Combine(directory, "metrics.jsonl");
            if (File.Exists(metricsPath))
                foreach (string line in File.ReadLines(metricsPath))
                {
                    try { if (JsonNode.Parse(line) is JsonObject obj) metrics.Add(obj); }
                    catch (JsonException) { }
                }
            return new ExperimentReportRun(directory, kind, result, config, metrics);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{resultPath}: cannot be read as an experiment result ({e.Message}).", e);
        }
    }

    /// <summary>The number at <paramref name="path"/> (dotted: <c>student_distilled.mean</c>) in the result; NaN when absent.</summary>
    public double Number(string path)
    {
        JsonNode? node = Result;
        foreach (string part in path.Split('.')) node = node?[part];
        return Value(node);
    }

    /// <summary>The text at <paramref name="key"/> of the result, or "".</summary>
    public string Text(string key) => Result[key] is JsonValue v ? (v.TryGetValue(out string? s) ? s : v.ToJsonString()) : "";

    /// <summary>The (x, y) points of the <paramref name="eventName"/> lines of <c>metrics.jsonl</c> that hold both numbers.</summary>
    public IEnumerable<(double X, double Y)> Points(string eventName, string x, string y) =>
        Metrics.Where(m => m["event"]?.GetValue<string>() == eventName)
            .Select(m => (X: Value(m[x]), Y: Value(m[y])))
            .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y));

    /// <summary>A JSON number (or a NaN/Infinity literal string) as a double; NaN otherwise.</summary>
    public static double Value(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue(out double d) ? d : value.TryGetValue(out string? s) && double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out double p) ? p : double.NaN
        : double.NaN;
}

/// <summary>Runs of one kind whose configs are equal apart from seed and output path, drawn together as mean ± std.</summary>
/// <param name="Label">What the report calls the group (the kind's own words, then the settings that tell it apart).</param>
/// <param name="Colour">Its colour in overlaid charts.</param>
/// <param name="Runs">Its runs.</param>
public sealed record ExperimentGroup(string Label, string Colour, IReadOnlyList<ExperimentReportRun> Runs)
{
    /// <summary>Mean ± std over the runs of one number each.</summary>
    public MeanStd Stat(Func<ExperimentReportRun, double> value) => MeanStd.Of(Runs.Select(value));

    /// <summary>Groups <paramref name="runs"/> (all of one kind) by their config without <see cref="RunGroup.IgnoredConfigKeys"/>,
    /// in first-appearance order; <paramref name="label"/> names a group from its first run, and groups with the same name
    /// get the settings that differ appended.</summary>
    public static IReadOnlyList<ExperimentGroup> Form(IReadOnlyList<ExperimentReportRun> runs, Func<ExperimentReportRun, string> label, int firstColour = 0)
    {
        var groups = runs.Select(r => (Run: r, Config: RunGroup.ConfigPairs(r.ConfigText)))
            .GroupBy(k => string.Join('\n', k.Config))
            .Select(g => (Runs: g.Select(k => k.Run).ToList(), g.First().Config))
            .ToList();
        var names = groups.Select(g => label(g.Runs[0])).ToList();
        return [.. groups.Select((g, i) =>
        {
            var twins = Enumerable.Range(0, groups.Count).Where(k => names[k] == names[i]).ToList();
            string distinction = twins.Count < 2 ? "" : " (" + string.Join(", ", g.Config.Where(pair => twins.Any(k => !groups[k].Config.Contains(pair))).Take(4)) + ")";
            return new ExperimentGroup(names[i] + distinction, Markup.Colour(firstColour + i), g.Runs);
        })];
    }

    /// <summary>The mean ± std over the group's runs of the <paramref name="eventName"/> curve, point by point at equal x.</summary>
    public ChartSeries Curve(string eventName, string x, string y, string? label = null, string? colour = null)
    {
        var points = Runs.SelectMany(r => r.Points(eventName, x, y)).GroupBy(p => p.X).OrderBy(g => g.Key)
            .Select(g => MeanStd.Of(g.Select(p => p.Y)) is var stat ? new ChartPoint(g.Key, stat.Mean, Runs.Count > 1 ? stat.Std : null) : default)
            .ToList();
        return new ChartSeries(label ?? Label, colour ?? Colour, points);
    }
}
