using System.Text.Json;
using Lifelong.Catalog;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lifelong.Cli;

/// <summary>Reads a run config file (YAML or JSON) into settings: key → values, the same shape as command-line flags,
/// so a file and flags combine by simple overriding.</summary>
public static class ConfigFile
{
    /// <summary>The settings in <paramref name="path"/> (.yaml/.yml or .json; a flat mapping, lists allowed for <c>methods</c>).</summary>
    /// <exception cref="ConfigurationException">Missing file, malformed content, nested values.</exception>
    public static List<KeyValuePair<string, IReadOnlyList<string>>> Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"config file '{path}' does not exist.");
        string text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => FromJson(text, path),
            ".yaml" or ".yml" => FromYaml(text, path),
            _ => throw new ConfigurationException($"config file '{path}': unknown extension; use .yaml, .yml or .json."),
        };
    }

    private static List<KeyValuePair<string, IReadOnlyList<string>>> FromYaml(string text, string path)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new ConfigurationException($"{path}: not valid YAML at line {e.Start.Line}: {e.Message}", e); }
        if (stream.Documents.Count == 0) return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root) throw new ConfigurationException($"{path}: the top level must be a mapping of settings (key: value).");
        var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            string key = ((YamlScalarNode)keyNode).Value ?? "";
            IReadOnlyList<string> values = valueNode switch
            {
                YamlScalarNode scalar => [scalar.Value ?? ""],
                YamlSequenceNode sequence when sequence.Children.All(c => c is YamlScalarNode) => [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value ?? "")],
                _ => throw new ConfigurationException($"{path}: setting '{key}' must be a value or a list of values (write component options inline: name:key=value,...)."),
            };
            settings.Add(new(key, values));
        }
        return settings;
    }

    private static List<KeyValuePair<string, IReadOnlyList<string>>> FromJson(string text, string path)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new ConfigurationException($"{path}: not valid JSON ({e.Message}).", e); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ConfigurationException($"{path}: the top level must be an object of settings.");
            var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                // A run's own config.json reruns as a config file; its provenance describes that run, not the next.
                if (property.NameEquals(Runs.RunConfig.ProvenanceKey)) continue;
                IReadOnlyList<string> values = property.Value.ValueKind switch
                {
                    JsonValueKind.Array => [.. property.Value.EnumerateArray().Select(e => Scalar(e, property.Name, path))],
                    JsonValueKind.Null => [],
                    _ => [Scalar(property.Value, property.Name, path)],
                };
                if (values.Count > 0) settings.Add(new(property.Name, values));
            }
            return settings;
        }
    }

    private static string Scalar(JsonElement element, string key, string path) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new ConfigurationException($"{path}: setting '{key}' must be a value or a list of values."),
    };
}
