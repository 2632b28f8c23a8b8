using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Sweeps;

/// <summary>The name of a run in a sweep: the first 12 hex digits of the SHA-256 of its resolved config's canonical JSON.</summary>
/// <remarks>
/// Canonical JSON: the config as <c>config.json</c> writes it, without <c>out</c> (where a run is written does not change
/// it) and without null values (so adding an optional setting later leaves existing names alone), object keys sorted
/// ordinally, no whitespace. Numbers are written by System.Text.Json's shortest round-trip formatting, which is the same
/// on every machine, so the name is stable across processes, machines and operating systems.
/// </remarks>
public static class RunHash
{
    /// <summary>The 12-hex-digit name of <paramref name="resolved"/> (a config from <see cref="RunFactory.Resolve"/>).</summary>
    public static string Of(RunConfig resolved) => Hex(Canonical(resolved));

    /// <summary>The 12-hex-digit name of the setting that <paramref name="resolved"/> shares with its other seeds.</summary>
    public static string VariantOf(RunConfig resolved) => Hex(Canonical(resolved with { Seed = 0 }) + "\nvariant");

    /// <summary>The canonical JSON text of <paramref name="resolved"/> that <see cref="Of(RunConfig)"/> hashes.</summary>
    public static string Canonical(RunConfig resolved)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(resolved with { Out = null }, RunResult.JsonOptions))!;
        return Sorted(node)!.ToJsonString();
    }

    /// <summary>The 12-hex-digit name of the resolved config of a run of another command (<see cref="SweepKind"/>): its
    /// canonical JSON without <c>out</c>, <c>provenance</c> and nulls, keys sorted.</summary>
    public static string Of(JsonObject resolved) => Hex(Canonical(resolved));

    /// <summary>The variant name of another command's config, <paramref name="seedZero"/> being the config with its seed set to 0.</summary>
    public static string VariantOf(JsonObject seedZero) => Hex(Canonical(seedZero) + "\nvariant");

    /// <summary>The canonical JSON text of another command's resolved config that <see cref="Of(JsonObject)"/> hashes.</summary>
    public static string Canonical(JsonObject resolved)
    {
        var copy = resolved.DeepClone().AsObject();
        copy.Remove("out");
        copy.Remove(RunConfig.ProvenanceKey);
        return Sorted(copy)!.ToJsonString();
    }

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
