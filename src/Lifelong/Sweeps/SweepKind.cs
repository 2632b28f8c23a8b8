using System.Text.Json.Nodes;
using Lifelong.Data;

namespace Lifelong.Sweeps;

/// <summary>A command other than <c>run</c> that a sweep can range over (<c>command: meta</c> in a sweep file): how its
/// settings resolve to a config, how a seed is set, how one run is executed into its directory, and the metrics its
/// <c>result.json</c> offers to tables and selection.</summary>
/// <param name="Name">The command's name, as a sweep file's <c>command:</c> gives it (<c>meta</c>, <c>pretrain</c>, ...).</param>
/// <param name="Resolve">The fully resolved config (its <c>config.json</c> without <c>out</c> and <c>provenance</c>) of the
/// command-line settings <c>--key value ...</c>; throws a <see cref="Catalog.ConfigurationException"/> naming a bad setting.</param>
/// <param name="WithSeed">The config with its seed set (for a command that runs several seeds itself: that seed alone).</param>
/// <param name="Execute">Runs a config into a directory, or continues it there (the flag); throws
/// <see cref="NotFiniteNumberException"/> when training diverges.</param>
/// <param name="Metrics">The metric names a table may show, each a number of <c>result.json</c>.</param>
/// <param name="DefaultMetrics">What a table shows when not told otherwise.</param>
/// <param name="Metric">The value of a metric (by name, or a name of a pattern such as <c>fine_tune@5</c>) in a
/// <c>result.json</c>; null for a name it does not know.</param>
public sealed record SweepKind(
    string Name,
    Func<IReadOnlyList<string>, JsonObject> Resolve,
    Func<JsonObject, ulong, JsonObject> WithSeed,
    Action<JsonObject, string, bool, DatasetStore, TextWriter> Execute,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> DefaultMetrics,
    Func<string, Func<JsonObject, double>?> Metric)
{
    /// <summary>The canonical name and value of metric <paramref name="name"/> ('-' and '_' alike), or of a path into the
    /// command's <c>result.json</c> (<see cref="ResultPath.ParseForDocument"/>: <c>levels[0].mean_return</c>).</summary>
    /// <exception cref="Catalog.ConfigurationException">An unknown metric; the message lists the kind's metrics.</exception>
    public (string Name, Func<JsonObject, double> Value) Get(string name)
    {
        string key = name.Trim().Replace('-', '_').ToLowerInvariant();
        if (Metric(key) is { } value) return (key, value);
        if (name.Contains('.', StringComparison.Ordinal) || name.Contains('[', StringComparison.Ordinal))
        {
            var path = ResultPath.ParseForDocument(name);
            return (path.Text, result => path.Of(result));
        }
        throw new Catalog.ConfigurationException($"unknown metric '{name}' for '{Name}' runs. Metrics: {string.Join(", ", Metrics)}, or a path into its result.json (levels[-1].mean_return).");
    }

    /// <summary>The number at the dotted <paramref name="path"/> of <paramref name="result"/> (<c>student_distilled.mean</c>);
    /// NaN when absent or null.</summary>
    public static double Number(JsonObject result, string path)
    {
        JsonNode? node = result;
        foreach (string part in path.Split('.')) node = node?[part];
        return node is JsonValue value && value.TryGetValue(out double number) ? number : double.NaN;
    }
}
