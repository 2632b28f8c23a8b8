using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lifelong.Catalog;

namespace Lifelong.Runs;

/// <summary>The settings of a run as its checkpoint records them, so that a resume can tell whether <c>config.json</c> was
/// edited in between and refuse to mix two configurations.</summary>
/// <remarks>
/// The record is the resolved config's JSON without <see cref="EditableKeys"/>; its hash is the SHA-256 of that text.
/// Comparing key by key (a key one side lacks counts as its default) lets a checkpoint written before a setting existed
/// still resume, and lets the refusal list each change, down to a component's option (<c>optimizer lr: 0.001 → 0.01</c>).
/// </remarks>
public static class RecordedConfig
{
    /// <summary>The settings that may change between an interruption and its resume, because they change neither a number
    /// of the result nor a line of <c>metrics.jsonl</c>: where the run directory is (<c>out</c>: a resume always continues
    /// in the directory it is given) and how often mid-task checkpoints are taken (<c>checkpoint_every</c>: a checkpoint
    /// only saves state; from the resume on, the new cadence applies).</summary>
    public static IReadOnlyList<string> EditableKeys { get; } = ["out", "checkpoint_every"];

    /// <summary>The canonical JSON text of <paramref name="config"/>'s settings that a resume must find unchanged.</summary>
    public static string Canonical(RunConfig config)
    {
        var json = JsonNode.Parse(config.ToJson())!.AsObject();
        foreach (string key in EditableKeys) json.Remove(key);
        return json.ToJsonString();
    }

    /// <summary>SHA-256 (lower-case hex) of <see cref="Canonical"/>.</summary>
    public static string Hash(RunConfig config) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config))));

    /// <summary>Each setting that differs between the <paramref name="recorded"/> canonical JSON and <paramref name="current"/>,
    /// as <c>name: old → new</c>; empty when they agree.</summary>
    public static IReadOnlyList<string> Changes(string recorded, RunConfig current)
    {
        var before = JsonNode.Parse(recorded) as JsonObject ?? [];
        var after = JsonNode.Parse(Canonical(current))!.AsObject();
        var defaults = JsonNode.Parse(Canonical(new RunConfig()))!.AsObject();
        var changes = new List<string>();
        foreach (string key in after.Select(p => p.Key).Concat(before.Select(p => p.Key)).Distinct(StringComparer.Ordinal))
        {
            var old = before.TryGetPropertyValue(key, out var o) ? o : defaults[key];
            var now = after.TryGetPropertyValue(key, out var n) ? n : defaults[key];
            if (!JsonNode.DeepEquals(old, now)) changes.AddRange(Describe(key, old, now));
        }
        return changes;
    }

    private static IEnumerable<string> Describe(string key, JsonNode? old, JsonNode? now)
    {
        if (key is "scenario" or "model" or "optimizer" && Text(old) is { } a && Text(now) is { } b)
            return ComponentChanges(key, a, b);
        if (key == "methods" && old is JsonArray oldMethods && now is JsonArray newMethods && oldMethods.Count == newMethods.Count
            && oldMethods.Zip(newMethods).All(p => Text(p.First) is not null && Text(p.Second) is not null))
            return oldMethods.Zip(newMethods).Where(p => !JsonNode.DeepEquals(p.First, p.Second)).SelectMany(p => ComponentChanges("method", Text(p.First)!, Text(p.Second)!));
        return [$"{key}: {Show(old)} → {Show(now)}"];
    }

    /// <summary>Changes between two component specs of the same kind, option by option when the component is the same.</summary>
    private static IEnumerable<string> ComponentChanges(string what, string old, string now)
    {
        ComponentSpec before, after;
        try
        {
            (before, after) = (ComponentSpec.Parse(old, what), ComponentSpec.Parse(now, what));
        }
        catch (ConfigurationException)
        {
            return [$"{what}: {old} → {now}"];
        }
        if (before.Name != after.Name || !before.Positional.SequenceEqual(after.Positional)) return [$"{what}: {old} → {now}"];
        return before.Options.Keys.Union(after.Options.Keys)
            .Where(k => before.Options.GetValueOrDefault(k) != after.Options.GetValueOrDefault(k))
            .Select(k => $"{what} {before.Name} {k}: {before.Options.GetValueOrDefault(k) ?? "(absent)"} → {after.Options.GetValueOrDefault(k) ?? "(absent)"}");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static string Show(JsonNode? node) => node is null ? "(absent)" : Text(node) ?? node.ToJsonString();
}
