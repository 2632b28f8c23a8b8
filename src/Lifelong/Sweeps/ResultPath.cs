using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Results;

namespace Lifelong.Sweeps;

/// <summary>A number read from a run's <c>result.json</c> by a path, so a sweep table can show any measurement a run
/// records, not only the summary: <c>online_accuracy[0]</c>, <c>online_accuracy[-10:]</c>,
/// <c>probes[-1].layers[*].srank</c>, <c>probes[-1].method.collision_rate</c>, <c>auroc_matrix[-1]</c>.</summary>
/// <remarks>
/// A path is keys joined by dots, each key optionally followed by selectors: <c>[i]</c> (an index, negative from the end),
/// <c>[a:b]</c> (a slice, Python's bounds) or <c>[*]</c> (every element). A key that holds a dot (the probes' method
/// entries <c>units.fc1</c>, <c>oracle_acc.0</c>) is found by trying the longest run of the remaining keys first. The
/// value is the mean of the numbers the path ends on (an array counts as its elements), so <c>online_accuracy[:10]</c> is
/// the mean online accuracy of the first ten tasks; a path that ends on nothing (a method that reports no such entry) is
/// NaN, which the table leaves out of the mean and shows as n/a.
/// </remarks>
public sealed class ResultPath
{
    private static readonly ConditionalWeakTable<RunResult, JsonNode> s_json = [];
    private static readonly HashSet<string> s_topKeys = [.. typeof(RunResult).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];

    /// <summary>Short names for the probes and per-task numbers the reproduction tables show.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["first_task_online"] = "online_accuracy[0]",
        ["last_task_online"] = "online_accuracy[-1]",
        ["dead_fraction"] = "probes[-1].layers[*].dead_fraction",
        ["dormant_fraction"] = "probes[-1].layers[*].dormant_fraction",
        ["srank"] = "probes[-1].layers[*].srank",
        ["effective_rank"] = "probes[-1].layers[*].effective_rank",
        ["weight_magnitude"] = "probes[-1].weight_magnitude",
        ["distance_from_init"] = "probes[-1].distance_from_init",
        ["auroc"] = "auroc_matrix[-1]",
    };

    private readonly IReadOnlyList<Segment> _segments;

    private ResultPath(string text, IReadOnlyList<Segment> segments) => (Text, _segments) = (text, segments);

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>Parses <paramref name="text"/>: a path, an alias (<see cref="Aliases"/>), or <c>method.K</c> for
    /// <c>probes[-1].method.K</c> (what the methods report after the last task).</summary>
    /// <exception cref="ConfigurationException">Not a path, or one that starts with a key result.json does not have.</exception>
    public static ResultPath Parse(string text) => Parse(text, continualRun: true);

    /// <summary>Parses <paramref name="text"/> as a path into any command's <c>result.json</c> (<c>levels[-1].probe.layers[*].dormant_fraction</c>
    /// for an RL run): no short names, and the first key is not checked against a continual run's.</summary>
    /// <exception cref="ConfigurationException">Not a path.</exception>
    public static ResultPath ParseForDocument(string text) => Parse(text, continualRun: false);

    private static ResultPath Parse(string text, bool continualRun)
    {
        string path = text.Trim();
        if (continualRun && Aliases.TryGetValue(path, out string? expanded)) path = expanded;
        else if (continualRun && path.StartsWith("method.", StringComparison.Ordinal)) path = "probes[-1]." + path;
        var segments = new List<Segment>();
        int at = 0;
        while (at < path.Length)
        {
            int start = at;
            while (at < path.Length && (char.IsLetterOrDigit(path[at]) || path[at] == '_')) at++;
            if (at == start) throw Bad(text, $"expected a key at position {at + 1}");
            string key = path[start..at];
            var selectors = new List<Selector>();
            while (at < path.Length && path[at] == '[')
            {
                int close = path.IndexOf(']', at);
                if (close < 0) throw Bad(text, "a '[' without its ']'");
                selectors.Add(Selector.Parse(path[(at + 1)..close], text));
                at = close + 1;
            }
            segments.Add(new Segment(key, selectors));
            if (at < path.Length)
            {
                if (path[at] != '.') throw Bad(text, $"unexpected '{path[at]}' at position {at + 1}");
                at++;
                if (at == path.Length) throw Bad(text, "it ends with '.'");
            }
        }
        if (segments.Count == 0) throw Bad(text, "it is empty");
        if (continualRun && !s_topKeys.Contains(segments[0].Key))
            throw Bad(text, $"result.json has no key '{segments[0].Key}' (its keys: {string.Join(", ", s_topKeys.Order(StringComparer.Ordinal))})");
        return new ResultPath(text.Trim(), segments);
    }

    /// <summary>The mean of the numbers the path selects in <paramref name="result"/>; NaN when it selects none.</summary>
    public double Of(RunResult result) => Of(s_json.GetValue(result, r => JsonSerializer.SerializeToNode(r, RunResult.JsonOptions)!));

    /// <summary>The mean of the numbers the path selects in a <c>result.json</c> document; NaN when it selects none.</summary>
    public double Of(JsonNode root)
    {
        var values = new List<double>();
        foreach (var node in Walk([root], 0)) Collect(node, values);
        return values.Count == 0 ? double.NaN : values.Average();
    }

    private IEnumerable<JsonNode?> Walk(IEnumerable<JsonNode?> nodes, int index)
    {
        if (index == _segments.Count) return nodes;
        var found = new List<JsonNode?>();
        var ends = new List<int>();
        foreach (var node in nodes.OfType<JsonObject>())
        {
            // The longest run of keys that names a property: method entries such as "units.fc1" hold a dot. Only the
            // last key of a run may carry selectors.
            for (int last = _segments.Count - 1; last >= index; last--)
            {
                if (_segments.Skip(index).Take(last - index).Any(s => s.Selectors.Count > 0)) continue;
                string key = string.Join('.', _segments.Skip(index).Take(last - index + 1).Select(s => s.Key));
                if (!node.TryGetPropertyValue(key, out var child)) continue;
                IEnumerable<JsonNode?> selected = [child];
                foreach (var selector in _segments[last].Selectors) selected = selected.SelectMany(selector.Apply);
                foreach (var next in Walk(selected, last + 1)) found.Add(next);
                break;
            }
        }
        return found;
    }

    private static void Collect(JsonNode? node, List<double> values)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var element in array) Collect(element, values);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                values.Add(value.GetValue<double>());
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String
                && double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double named):
                values.Add(named);   // NaN and ±Infinity are written as strings
                break;
        }
    }

    private static ConfigurationException Bad(string text, string why) => new(
        $"metric '{text.Trim()}' is not a result.json path ({why}). A path is keys joined by dots with optional [i], [a:b] or [*] " +
        $"selectors, e.g. online_accuracy[-1], probes[-1].layers[*].srank, probes[-1].method.collision_rate; short names: {string.Join(", ", Aliases.Keys)}, method.KEY.");

    private sealed record Segment(string Key, IReadOnlyList<Selector> Selectors);

    // [i], [a:b] (either bound may be missing) or [*].
    private sealed record Selector(int? Index, int? From, int? To, bool Slice)
    {
        public static Selector Parse(string text, string path)
        {
            text = text.Trim();
            if (text == "*") return new Selector(null, null, null, true);
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return new Selector(Integer(text), null, null, false);
            string from = text[..colon].Trim(), to = text[(colon + 1)..].Trim();
            return new Selector(null, from.Length == 0 ? null : Integer(from), to.Length == 0 ? null : Integer(to), true);

            int Integer(string s) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int i) ? i
                : throw Bad(path, $"'[{text}]' is not an index, a slice a:b or *");
        }

        public IEnumerable<JsonNode?> Apply(JsonNode? node)
        {
            if (node is not JsonArray array) yield break;
            int n = array.Count;
            if (!Slice)
            {
                int i = Index!.Value < 0 ? n + Index.Value : Index.Value;
                if (i >= 0 && i < n) yield return array[i];
                yield break;
            }
            int Bound(int? b, int fallback) => b is not { } v ? fallback : Math.Clamp(v < 0 ? n + v : v, 0, n);
            for (int i = Bound(From, 0), end = Bound(To, n); i < end; i++) yield return array[i];
        }
    }
}
