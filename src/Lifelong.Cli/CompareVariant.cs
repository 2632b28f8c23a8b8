using System.Text;
using Lifelong.Catalog;
using Lifelong.Runs;

namespace Lifelong.Cli;

/// <summary>One entry of a <c>compare</c> list: a method set, and optionally settings of its own and a label.</summary>
/// <remarks>
/// Written <c>METHODS [| key=value]...</c>, e.g. <c>l2init | optimizer=adam:lr=1e-4</c>: papers tune the step size per
/// method, so a fair side-by-side comparison needs per-variant settings. <c>label=NAME</c> names the variant (its
/// subdirectory and its row in the table); without it the name is the method names joined by '+', followed by the
/// override values when there are any, so two variants of the same method do not collide.
/// </remarks>
/// <param name="Methods">The method set, as for <c>--method</c> (composed with '+').</param>
/// <param name="Settings">Run settings that replace the shared config's for this variant only.</param>
/// <param name="ExplicitLabel">The name given with <c>label=</c>, if any.</param>
public sealed record CompareVariant(string Methods, IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Settings, string? ExplicitLabel)
{
    /// <summary>Parses one compare entry.</summary>
    /// <exception cref="ConfigurationException">An empty method set, a setting without '=', or a setting that cannot vary per variant.</exception>
    public static CompareVariant Parse(string text)
    {
        var parts = text.Split('|', StringSplitOptions.TrimEntries);
        string methods = parts[0];
        if (methods.Length == 0) throw new ConfigurationException($"compare entry '{text}': no method before '|'. Write METHODS [| key=value]..., e.g. 'l2init | optimizer=adam:lr=1e-4'.");
        var settings = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        string? label = null;
        foreach (string part in parts.Skip(1))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new ConfigurationException($"compare entry '{text}': '{part}' is not key=value.");
            string key = part[..equals].Trim(), value = part[(equals + 1)..].Trim();
            if (key == "label") { label = value; continue; }
            if (key.Replace("-", "_", StringComparison.Ordinal) is "methods" or "method" or "out" or "seed")
                throw new ConfigurationException($"compare entry '{text}': '{key}' cannot differ between variants (put methods before the first '|'; seed and out apply to the whole comparison).");
            settings.Add(new(key, [value]));
        }
        return new CompareVariant(methods, settings, label is null ? null : SafeName(label));
    }

    /// <summary>The variant's name, given the names of its built methods.</summary>
    public string Label(IEnumerable<string> methodNames) => ExplicitLabel ?? SafeName(Settings.Count == 0
        ? string.Join('+', methodNames)
        : $"{string.Join('+', methodNames)}@{string.Join(',', Settings.Select(s => s.Value[0]))}");

    /// <summary>The variant's run config: <paramref name="shared"/> with this variant's methods and settings.</summary>
    public RunConfig Apply(RunConfig shared) => (shared with { Methods = [Methods], Out = null }).With(Settings);

    // The label names a directory: keep it to characters every file system accepts.
    private static string SafeName(string label)
    {
        var name = new StringBuilder(label.Length);
        foreach (char c in label) name.Append(char.IsLetterOrDigit(c) || c is '+' or '-' or '.' or '@' or ',' or '=' or '_' ? c : '-');
        return name.ToString();
    }
}
