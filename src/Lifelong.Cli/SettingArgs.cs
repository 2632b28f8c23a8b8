using System.Globalization;
using Lifelong.Catalog;

namespace Lifelong.Cli;

/// <summary>The <c>--key value</c> settings of the experiment commands (<c>meta</c>, <c>distill</c>), checked against a list.</summary>
internal sealed class SettingArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="args"/>; <paramref name="known"/> take a value, <paramref name="switches"/> none.</summary>
    public SettingArgs(IEnumerable<string> args, IReadOnlyCollection<string> known, IReadOnlyCollection<string> switches)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new ConfigurationException($"unexpected argument '{list[i]}'; settings are --key value.");
            string key = list[i][2..];
            if (switches.Contains(key)) { _values[key] = "true"; continue; }
            if (!known.Contains(key))
                throw new ConfigurationException($"unknown setting --{key}.{Spelling.Suggest(key, known.Concat(switches).Select(k => "--" + k))} Valid settings: {string.Join(", ", known.Concat(switches).Select(k => "--" + k))}.");
            if (i + 1 >= list.Count) throw new ConfigurationException($"--{key} needs a value.");
            _values[key] = list[++i];
        }
    }

    /// <summary>Whether <c>--key</c> was given.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The value of <c>--key</c> converted to <typeparamref name="T"/>, or <paramref name="fallback"/>.</summary>
    public T Get<T>(string key, T fallback) => _values.TryGetValue(key, out var text) ? (T)OptionBinder.Convert(text, typeof(T), $"--{key}")! : fallback;

    /// <summary>Comma-separated positive widths (<c>256,128,64</c>), or <paramref name="fallback"/>.</summary>
    public int[] Widths(string key, int[] fallback)
    {
        if (!_values.TryGetValue(key, out var text)) return fallback;
        var widths = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int w) && w > 0 ? w : -1).ToArray();
        if (widths.Length == 0 || widths.Any(w => w < 0)) throw new ConfigurationException($"--{key} {text}: expected positive widths separated by commas, e.g. 256,128,64.");
        return widths;
    }
}
