using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Experiments;
using Lifelong.Results;

namespace Lifelong.Cli;

/// <summary>What the experiment commands (<c>meta few-shot</c>, <c>pretrain</c>, <c>transfer</c>, <c>distill</c>) share about
/// their run directory: <c>--out DIR</c> for a new run, <c>--resume DIR</c> to continue one with its <c>config.json</c>.</summary>
internal static class ExperimentArgs
{
    /// <summary>The flags every experiment command takes for its run directory.</summary>
    public static IReadOnlyList<string> RunFlags { get; } = ["out", "resume", "log-every", "checkpoint-every"];

    /// <summary>The run directory and its <c>config.json</c> for <c>--resume DIR</c> (which takes no other setting), else null.</summary>
    /// <exception cref="ConfigurationException">Other settings beside <c>--resume</c>, or no such directory.</exception>
    /// <exception cref="InvalidDataException">No <c>config.json</c> of <paramref name="kind"/> there.</exception>
    public static (string Path, JsonObject Config)? Resumed(SettingArgs settings, IEnumerable<string> known, string kind)
    {
        if (!settings.Has("resume")) return null;
        var given = known.Where(k => k != "resume" && settings.Has(k)).ToList();
        if (given.Count > 0)
            throw new ConfigurationException($"--resume takes its settings from the run's config.json; drop --{string.Join(", --", given)} (or start a new run with --out).");
        string path = settings.Get("resume", "");
        if (!Directory.Exists(path)) throw new ConfigurationException($"--resume {path}: no such directory.");
        return (path, ExperimentRun.ReadConfig(path, kind));
    }

    /// <summary><c>--out</c>, or <c>runs/STEM-&lt;time&gt;</c> (with -2, -3, ... when runs started in the same second hold it).</summary>
    public static string Out(SettingArgs settings, string stem)
    {
        if (settings.Has("out")) return settings.Get("out", "");
        string first = Path.Combine("runs", $"{stem}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        string path = first;
        for (int n = 2; Directory.Exists(path); n++) path = $"{first}-{n}";
        return path;
    }

    /// <summary><paramref name="config"/> as the JSON object of <c>config.json</c>.</summary>
    public static JsonObject ToJson<T>(T config) => JsonSerializer.SerializeToNode(config, RunResult.JsonOptions)!.AsObject();

    /// <summary>The typed config of a <c>config.json</c> object.</summary>
    /// <exception cref="InvalidDataException">It does not have the kind's fields.</exception>
    public static T FromJson<T>(JsonObject config, string path)
    {
        try
        {
            return config.Deserialize<T>(RunResult.JsonOptions) ?? throw new InvalidDataException($"{path}: config.json holds null.");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{Path.Combine(path, "config.json")}: not a valid config of this kind ({e.Message}).", e);
        }
    }

    /// <summary>The line that says how a finished or continued run ends.</summary>
    public static string Finished(ExperimentRun run) => $"run directory: {run.Directory.Path} (lifelong report {run.Directory.Path})";
}
