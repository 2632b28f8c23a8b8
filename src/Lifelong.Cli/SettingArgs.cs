using System.Globalization;
using Lifelong.Catalog;

namespace Lifelong.Cli;

/// <summary>The <c>--key value</c> settings of the experiment commands (<c>meta</c>, <c>distill</c>, <c>pretrain</c>,
/// <c>transfer</c>), checked against a list: each given once, each with a value.</summary>
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
            if (_values.ContainsKey(key)) throw new ConfigurationException($"--{key} given twice; give each setting once.");
            if (switches.Contains(key)) { _values[key] = "true"; continue; }
            if (!known.Contains(key))
                throw new ConfigurationException($"unknown setting --{key}.{Spelling.Suggest(key, known.Concat(switches).Select(k => "--" + k))} Valid settings: {string.Join(", ", known.Concat(switches).Select(k => "--" + k))}.");
            // A value never starts with "--": "--steps --seed 1" lacks the steps, it does not set them to "--seed".
            if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new ConfigurationException($"--{key} needs a value.");
            _values[key] = list[++i];
        }
    }

    /// <summary>Whether <c>--key</c> was given.</summary>
    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The value of <c>--key</c> converted to <typeparamref name="T"/>, or <paramref name="fallback"/>.</summary>
    public T Get<T>(string key, T fallback) => _values.TryGetValue(key, out var text) ? (T)OptionBinder.Convert(text, typeof(T), $"--{key}")! : fallback;

    /// <summary>The value of <c>--key</c> converted to <typeparamref name="T"/> and checked against <paramref name="range"/>, or <paramref name="fallback"/>.</summary>
    /// <exception cref="ConfigurationException">The value does not parse or lies outside <paramref name="range"/>.</exception>
    public T Get<T>(string key, T fallback, BetweenAttribute range)
    {
        T value = Get(key, fallback);
        if (value is not null && !range.Admits(System.Convert.ToDouble(value, CultureInfo.InvariantCulture)))
            throw new ConfigurationException($"--{key} = {ComponentSpec.Format(value)} is not valid; expected {range.Describe(OptionRules.IsInteger(typeof(T)))}.");
        return value;
    }

    /// <summary>Checks <paramref name="options"/> against the ranges its record declares, naming each option by its flag:
    /// the kebab-case name unless <paramref name="flags"/> maps it to another (<c>learning-rate</c> → <c>lr</c>).</summary>
    /// <exception cref="ConfigurationException">The first option outside its range.</exception>
    public static void Validate(object options, IReadOnlyDictionary<string, string>? flags = null) =>
        OptionRules.Validate(options, name => "--" + (flags is not null && flags.TryGetValue(name, out var flag) ? flag : name));

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
