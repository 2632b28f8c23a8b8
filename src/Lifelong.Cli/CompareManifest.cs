using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Runs;

namespace Lifelong.Cli;

/// <summary>
/// What a comparison was asked to run, kept as <c>compare.json</c> in its root directory so that
/// <c>lifelong run --resume ROOT</c> can finish an interrupted comparison: variants already finished are read back,
/// the interrupted one continues from its checkpoint, and those not yet started run.
/// </summary>
/// <param name="Config">The settings shared by every variant (the comparison's config without its compare list).</param>
/// <param name="Entries">The compare entries, as written (<c>METHODS [| key=value]...</c>).</param>
public sealed record CompareManifest(RunConfig Config, IReadOnlyList<string> Entries)
{
    /// <summary>The manifest's file name inside the comparison's root.</summary>
    public const string FileName = "compare.json";

    /// <summary>The manifest file of the comparison rooted at <paramref name="root"/>.</summary>
    public static string PathIn(string root) => Path.Combine(root, FileName);

    /// <summary>Writes the manifest into <paramref name="root"/> (atomically).</summary>
    public void Save(string root)
    {
        var json = new JsonObject
        {
            ["config"] = JsonNode.Parse(Config.ToJson()),
            ["entries"] = new JsonArray([.. Entries.Select(e => (JsonNode?)JsonValue.Create(e))]),
        };
        Directory.CreateDirectory(root);
        RunDirectory.WriteAtomically(PathIn(root), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Reads the manifest of the comparison rooted at <paramref name="root"/>.</summary>
    /// <exception cref="ConfigurationException">The file is not a comparison manifest.</exception>
    public static CompareManifest Load(string root)
    {
        string path = PathIn(root);
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
                ?? throw new ConfigurationException($"{path}: holds null, not a comparison manifest.");
            var config = json["config"] ?? throw new ConfigurationException($"{path}: no 'config'; this is not a comparison manifest.");
            var entries = json["entries"]?.AsArray().Select(e => e?.GetValue<string>() ?? "").ToList()
                ?? throw new ConfigurationException($"{path}: no 'entries'; this is not a comparison manifest.");
            if (entries.Count == 0) throw new ConfigurationException($"{path}: 'entries' is empty.");
            return new CompareManifest(RunConfig.FromJson(config.ToJsonString(), path), entries);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new ConfigurationException($"{path}: not a valid comparison manifest ({e.Message}). Delete the directory and run the comparison again.", e);
        }
    }
}
