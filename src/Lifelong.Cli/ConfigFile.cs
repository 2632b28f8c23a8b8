using System.Text.Json;
using Lifelong.Catalog;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Lifelong.Cli;

/// <summary>Reads a run config file (YAML or JSON) into settings: key → values, the same shape as command-line flags,
/// so a file and flags combine by simple overriding.</summary>
public static class ConfigFile
{
    /// <summary>The largest config file read: a run's settings fit in a few kilobytes, so anything near this is not a config.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The settings in <paramref name="path"/> (.yaml/.yml or .json; a flat mapping, lists allowed for <c>methods</c>).</summary>
    /// <remarks>The file is bounded before it is parsed (<see cref="MaxBytes"/>), and YAML is read as a stream of events rather
    /// than a document tree, so no input, however deeply nested, can exhaust the stack; JSON nesting is bounded by the reader.</remarks>
    /// <exception cref="ConfigurationException">Missing, empty or oversized file, malformed content, nested values.</exception>
    public static List<KeyValuePair<string, IReadOnlyList<string>>> Read(string path)
    {
        if (!File.Exists(path)) throw new ConfigurationException($"config file '{path}' does not exist.");
        long length = new FileInfo(path).Length;
        if (length > MaxBytes) throw new ConfigurationException($"config file '{path}' is {length:N0} bytes; a run config is a flat list of settings, at most {MaxBytes:N0} bytes.");
        string text = File.ReadAllText(path);
        var settings = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".json" => FromJson(text, path),
            ".yaml" or ".yml" => FromYaml(text, path),
            _ => throw new ConfigurationException($"config file '{path}': unknown extension; use .yaml, .yml or .json."),
        };
        // An empty file would otherwise start the default run, hundreds of tasks long, that nobody asked for.
        if (settings.Count == 0) throw new ConfigurationException($"config file '{path}' holds no settings; write at least one (e.g. scenario: permuted-mnist).");
        var twice = settings.GroupBy(s => s.Key.Replace("-", "_", StringComparison.Ordinal).ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new ConfigurationException($"{path}: setting '{twice.First().Key}' given twice; give each setting once.");
        return settings;
    }

    private static List<KeyValuePair<string, IReadOnlyList<string>>> FromYaml(string text, string path)
    {
        var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return settings;
            parser.Consume<DocumentStart>();
            if (parser.TryConsume<Scalar>(out var only) && only.Value.Length == 0 && parser.TryConsume<DocumentEnd>(out _)) return settings;
            if (!parser.TryConsume<MappingStart>(out _)) throw new ConfigurationException($"{path}: the top level must be a mapping of settings (key: value).");
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                if (!parser.TryConsume<Scalar>(out var keyNode)) throw new ConfigurationException($"{path}: every key must be a plain name (line {parser.Current?.Start.Line}).");
                string key = keyNode.Value;
                if (parser.TryConsume<Scalar>(out var scalar)) settings.Add(new(key, [scalar.Value]));
                else if (parser.TryConsume<SequenceStart>(out _))
                {
                    var values = new List<string>();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        if (!parser.TryConsume<Scalar>(out var item)) throw Nested(path, key);
                        values.Add(item.Value);
                    }
                    settings.Add(new(key, values));
                }
                else throw Nested(path, key);
            }
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _)) throw new ConfigurationException($"{path}: holds more than one YAML document; a config is one mapping of settings.");
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"{path}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        return settings;
    }

    private static ConfigurationException Nested(string path, string key) =>
        new($"{path}: setting '{key}' must be a value or a list of values (write component options inline: name:key=value,...).");

    private static List<KeyValuePair<string, IReadOnlyList<string>>> FromJson(string text, string path)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new ConfigurationException($"{path}: not valid JSON ({e.Message}).", e); }
        catch (ArgumentException e) { throw new ConfigurationException($"{path}: not valid JSON ({ConfigurationException.Plain(e)}).", e); }
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
