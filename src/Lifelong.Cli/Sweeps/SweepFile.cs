using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Runs;
using Lifelong.Sweeps;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lifelong.Cli.Sweeps;

/// <summary>Reads a sweep file (YAML or JSON): base run settings at the top level, as in a <c>lifelong run</c> config, plus
/// <c>grid</c>, <c>list</c>, <c>seeds</c>, <c>select</c>, <c>metrics</c>, and <c>config</c>: a run config file whose settings
/// come first (the file's own settings override them), so a preset becomes a sweep without copying it.</summary>
public static class SweepFile
{
    private static readonly string[] s_reserved = ["grid", "list", "seeds", "select", "metrics", "config", "command", "kind"];

    /// <summary>The definition in <paramref name="path"/> and the metrics its tables show.</summary>
    /// <exception cref="ConfigurationException">A missing file, malformed content, or a value of the wrong shape.</exception>
    public static (SweepDefinition Definition, IReadOnlyList<string> Metrics) Read(string path)
    {
        var top = Top(path);

        var baseSettings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var (key, value) in top)
        {
            if (s_reserved.Contains(key)) continue;
            string name = key is "method" ? "methods" : key;
            baseSettings.Add(KeyValuePair.Create(name, Values(value, key, path)));
        }
        if (top["config"] is { } included) baseSettings = [.. Included(included, path, baseSettings), .. baseSettings];
        var grid = Axes(top["grid"], "grid", path);
        var list = Axes(top["list"], "list", path);
        IReadOnlyList<ulong> seeds = top["seeds"] is { } s ? Seeds(s, "seeds", path, 0) : [];
        var metrics = top["metrics"] is { } m ? Values(m, "metrics", path).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList() : [.. SweepMetrics.Default];
        var select = top["select"] is { } sel ? Selection(sel, path) : null;
        if (select is not null && seeds.Count > 0) throw new ConfigurationException($"{path}: with 'select', the seeds come from its tuning_seeds and final_seeds; remove the top-level 'seeds'.");
        return (new SweepDefinition(baseSettings, grid, list, seeds, select), metrics);
    }

    /// <summary>The command the sweep's runs execute (<c>command:</c>, or <c>kind:</c>; <c>run</c> when absent) and whether
    /// the file names its table's metrics (else the command's defaults apply).</summary>
    /// <exception cref="ConfigurationException">A missing or malformed file, or both keys given.</exception>
    public static (string Command, bool NamesMetrics) Command(string path)
    {
        var top = Top(path);
        if (top["command"] is not null && top["kind"] is not null) throw new ConfigurationException($"{path}: give the command once, as 'command:' (or 'kind:'), not both.");
        var values = Values(top["command"] ?? top["kind"], "command", path);
        if (values.Count > 1) throw new ConfigurationException($"{path}: 'command' takes one command (run, meta, pretrain, transfer, distill).");
        return (values.Count == 0 ? "run" : values[0].Trim(), top["metrics"] is not null);
    }

    private static JsonObject Top(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"sweep file '{path}' does not exist.");
        string text = File.ReadAllText(path);
        JsonNode? root = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => ParseJson(text, path),
            ".yaml" or ".yml" => ParseYaml(text, path),
            _ => throw new ConfigurationException($"sweep file '{path}': unknown extension; use .yaml, .yml or .json."),
        };
        return root as JsonObject ?? throw new ConfigurationException($"{path}: the top level must be a mapping (base settings, grid, list, seeds, select).");
    }

    /// <summary>The run config of one variant: the base settings, then its axis values (a <c>compare</c> value is a
    /// compare entry, <c>METHODS | key=value | label=NAME</c>; a dotted key sets a component's option).</summary>
    public static RunConfig ConfigOf(SweepDefinition definition, IReadOnlyList<KeyValuePair<string, string>> point)
    {
        var config = new RunConfig().With(definition.Base.Where(s => s.Key != "compare"));
        foreach (var (key, value) in point)
            config = key == "compare" ? CompareVariant.Parse(value).Apply(config) : SweepSettings.Apply(config, key, value);
        return config;
    }

    // The included preset's settings, less those the sweep file sets itself (a compare list there replaces the preset's).
    // Its path is relative to the sweep file, so the sweep runs the same from any working directory.
    private static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> Included(JsonNode node, string path, List<KeyValuePair<string, IReadOnlyList<string>>> own)
    {
        var values = Values(node, "config", path);
        if (values.Count != 1) throw new ConfigurationException($"{path}: 'config' takes one run config file.");
        string file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", values[0]);
        if (!File.Exists(file)) throw new ConfigurationException($"{path}: config file '{values[0]}' does not exist (looked for {file}; the path is relative to the sweep file).");
        var mine = own.Select(s => Normalise(s.Key)).ToHashSet(StringComparer.Ordinal);
        return ConfigFile.Read(file).Select(s => s.Key is "method" ? KeyValuePair.Create("methods", s.Value) : s).Where(s => !mine.Contains(Normalise(s.Key)));

        static string Normalise(string key) => key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
    }

    private static List<SweepAxis> Axes(JsonNode? node, string what, string path)
    {
        if (node is null) return [];
        if (node is not JsonObject axes) throw new ConfigurationException($"{path}: '{what}' must be a mapping of setting → list of values (e.g. {what}: {{optimizer.lr: [1e-3, 1e-4]}}).");
        return [.. axes.Select(a => new SweepAxis(a.Key is "methods" ? "method" : a.Key, Values(a.Value, $"{what}.{a.Key}", path)))];
    }

    private static SweepSelection Selection(JsonNode node, string path)
    {
        if (node is not JsonObject select) throw new ConfigurationException($"{path}: 'select' must be a mapping (metric, mode, tuning_seeds, final_seeds, by).");
        string Get(string key, string? fallback) => select[key] is { } v ? Values(v, $"select.{key}", path).Single()
            : fallback ?? throw new ConfigurationException($"{path}: 'select' needs '{key}'.");
        foreach (var (key, _) in select)
            if (key is not ("metric" or "mode" or "tuning_seeds" or "final_seeds" or "by"))
                throw new ConfigurationException($"{path}: 'select' has no setting '{key}'; it takes metric, mode, tuning_seeds, final_seeds and by.");
        bool maximize = Get("mode", "max") switch
        {
            "max" => true,
            "min" => false,
            var other => throw new ConfigurationException($"{path}: select.mode '{other}': use max or min."),
        };
        var tuning = Seeds(select["tuning_seeds"] ?? throw new ConfigurationException($"{path}: 'select' needs 'tuning_seeds'."), "select.tuning_seeds", path, 0);
        var final = Seeds(select["final_seeds"] ?? throw new ConfigurationException($"{path}: 'select' needs 'final_seeds'."), "select.final_seeds", path, (ulong)tuning.Count);
        IReadOnlyList<string> by = select["by"] is { } b ? Values(b, "select.by", path) : ["method"];
        return new SweepSelection(Get("metric", null), maximize, tuning, final, by);
    }

    // A count n stands for n seeds from `from`; a list is the seeds themselves.
    private static List<ulong> Seeds(JsonNode node, string what, string path, ulong from)
    {
        var values = Values(node, what, path);
        ulong Parse(string v) => ulong.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong seed) ? seed
            : throw new ConfigurationException($"{path}: '{what}' value '{v}' is not a seed (a whole number ≥ 0).");
        if (node is JsonValue) return [.. Enumerable.Range(0, checked((int)Parse(values[0]))).Select(i => from + (ulong)i)];
        return [.. values.Select(Parse)];
    }

    private static IReadOnlyList<string> Values(JsonNode? node, string key, string path) => node switch
    {
        null => [],
        JsonValue value => [Scalar(value)],
        JsonArray array when array.All(e => e is JsonValue) => [.. array.Select(e => Scalar((JsonValue)e!))],
        _ => throw new ConfigurationException($"{path}: '{key}' must be a value or a list of values (write component options inline: name:key=value,...)."),
    };

    private static string Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static JsonNode? ParseJson(string text, string path)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException e) { throw new ConfigurationException($"{path}: not valid JSON ({e.Message}).", e); }
    }

    // YAML scalars stay text (so 1e-3 and l2init:lambda=0.01 arrive as written); mappings and sequences nest.
    private static JsonNode? ParseYaml(string text, string path)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new ConfigurationException($"{path}: not valid YAML at line {e.Start.Line}: {e.Message}", e); }
        return stream.Documents.Count == 0 ? new JsonObject() : Convert(stream.Documents[0].RootNode);

        static JsonNode? Convert(YamlNode node) => node switch
        {
            YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
            _ => null,
        };
    }
}
