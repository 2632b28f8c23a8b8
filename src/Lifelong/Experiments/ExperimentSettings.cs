using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lifelong.Runs;

namespace Lifelong.Experiments;

/// <summary>The settings of an experiment of any kind (its <c>config.json</c> as a JSON object) as its checkpoint records
/// them, so that a resume refuses a <c>config.json</c> edited in between: <see cref="RecordedConfig"/>'s rules for every kind.</summary>
/// <remarks>
/// The record is the config without <see cref="RecordedConfig.EditableKeys"/> (<c>out</c>, <c>checkpoint_every</c>) and
/// without <c>provenance</c> (where it ran describes, never defines, the run); the hash is the SHA-256 of that text. Changes
/// are listed setting by setting, nested options by their dotted path (<c>options.inner_lr: 0.4 → 0.1</c>).
/// </remarks>
public static class ExperimentSettings
{
    /// <summary>The canonical JSON text of <paramref name="config"/>'s settings that a resume must find unchanged.</summary>
    public static string Canonical(JsonObject config)
    {
        var copy = config.DeepClone().AsObject();
        foreach (string key in RecordedConfig.EditableKeys.Append(RunConfig.ProvenanceKey)) copy.Remove(key);
        return copy.ToJsonString();
    }

    /// <summary>SHA-256 (lower-case hex) of <see cref="Canonical"/>.</summary>
    public static string Hash(JsonObject config) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config))));

    /// <summary>Each setting that differs between the <paramref name="recorded"/> canonical JSON and <paramref name="current"/>,
    /// as <c>name: old → new</c>; empty when they agree.</summary>
    public static IReadOnlyList<string> Changes(string recorded, JsonObject current)
    {
        var before = JsonNode.Parse(recorded) as JsonObject ?? [];
        var after = JsonNode.Parse(Canonical(current))!.AsObject();
        var changes = new List<string>();
        Compare("", before, after, changes);
        return changes;
    }

    private static void Compare(string prefix, JsonObject before, JsonObject after, List<string> changes)
    {
        foreach (string key in before.Select(p => p.Key).Concat(after.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
        {
            var old = before[key];
            var now = after[key];
            if (JsonNode.DeepEquals(old, now)) continue;
            if (old is JsonObject o && now is JsonObject n) Compare($"{prefix}{key}.", o, n, changes);
            else changes.Add($"{prefix}{key}: {Show(old)} → {Show(now)}");
        }
    }

    private static string Show(JsonNode? node) =>
        node is null ? "(absent)" : node is JsonValue value && value.TryGetValue(out string? text) ? text : node.ToJsonString();
}
