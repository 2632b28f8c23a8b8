using System.Globalization;

namespace Lifelong.Catalog;

/// <summary>A component named on the command line with its options: <c>name:key=value,key=value</c>, where items without
/// <c>=</c> are positional (<c>mlp:100,100</c>).</summary>
/// <param name="Name">The component's name, lower case.</param>
/// <param name="Positional">Values given without a key, in order.</param>
/// <param name="Options">Key → value, keys as typed.</param>
public sealed record ComponentSpec(string Name, IReadOnlyList<string> Positional, IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Parses <c>name</c>, <c>name:v,v</c> or <c>name:key=value,...</c>.</summary>
    /// <exception cref="ConfigurationException">Empty name, empty item or a key given twice.</exception>
    public static ComponentSpec Parse(string text, string what)
    {
        text = text.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        if (name.Length == 0) throw new ConfigurationException($"{what} '{text}': no name before the options (expected name:key=value,...).");
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        if (colon >= 0)
            foreach (string raw in text[(colon + 1)..].Split(','))
            {
                string item = raw.Trim();
                if (item.Length == 0) throw new ConfigurationException($"{what} '{text}': an empty item between commas.");
                int equals = item.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0) { positional.Add(item); continue; }
                string key = item[..equals].Trim();
                if (key.Length == 0) throw new ConfigurationException($"{what} '{text}': '{item}' has no key before '='.");
                if (!options.TryAdd(key, item[(equals + 1)..].Trim())) throw new ConfigurationException($"{what} '{text}': option '{key}' is given twice.");
            }
        return new ComponentSpec(name, positional, options);
    }

    /// <summary>This spec with <paramref name="overrides"/> applied on top of its options.</summary>
    public ComponentSpec With(IReadOnlyDictionary<string, string> overrides)
    {
        var options = new Dictionary<string, string>(Options, StringComparer.Ordinal);
        foreach (var (key, value) in overrides) options[key] = value;
        return this with { Options = options };
    }

    /// <summary>The canonical text, <c>name:positional…,key=value…</c>.</summary>
    public override string ToString()
    {
        var items = Positional.Concat(Options.Select(o => $"{o.Key}={o.Value}")).ToList();
        return items.Count == 0 ? Name : $"{Name}:{string.Join(',', items)}";
    }

    /// <summary>Formats a value for a spec (invariant culture, round-trip doubles).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        int[] array => string.Join('x', array),
        Enum e => OptionBinder.Kebab(e.ToString()),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
