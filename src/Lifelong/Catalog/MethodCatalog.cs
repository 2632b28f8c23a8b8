using System.Reflection;
using Lifelong.Training;

namespace Lifelong.Catalog;

/// <summary>A method the catalog can build: name, family, paper, options.</summary>
/// <param name="Name">The command-line name.</param>
/// <param name="Type">The method's class.</param>
/// <param name="OptionsType">Its options record, or null when it has none.</param>
/// <param name="Category">The family (plasticity, forgetting, ...).</param>
/// <param name="Paper">The paper.</param>
public sealed record MethodEntry(string Name, Type Type, Type? OptionsType, string Category, string Paper)
{
    /// <summary>The class's doc summary.</summary>
    public string Summary => XmlDocs.Summary(Type);

    /// <summary>The options with defaults and docs.</summary>
    public IReadOnlyList<OptionInfo> Options => OptionsType is null ? [] : OptionBinder.Describe(OptionsType);

    /// <summary>A new instance configured by <paramref name="spec"/>.</summary>
    public ContinualMethod Create(ComponentSpec spec)
    {
        if (spec.Positional.Count > 0) throw new ConfigurationException($"method '{Name}': options must be key=value, got '{string.Join(",", spec.Positional)}'.");
        if (OptionsType is null)
        {
            if (spec.Options.Count > 0) throw new ConfigurationException($"method '{Name}' has no options, got '{string.Join(",", spec.Options.Keys)}'.");
            return (ContinualMethod)Activator.CreateInstance(Type)!;
        }
        object options = OptionBinder.Bind(OptionsType, spec.Options, $"method '{Name}'");
        try
        {
            return (ContinualMethod)Activator.CreateInstance(Type, options)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new ConfigurationException($"method '{Name}': {ConfigurationException.Plain(inner)}", inner);
        }
    }
}

/// <summary>Every method of the library, found by reflection: each non-abstract <see cref="ContinualMethod"/> with a
/// <see cref="MethodAttribute"/>, a <c>MethodName</c> constant, and a constructor taking nothing or one options record.</summary>
/// <remarks>Discovery means a new method is one new file: no list to edit, no registration to forget. A user's own assembly is
/// searched the same way when it is loaded as a plugin (<see cref="Plugins"/>, which calls <see cref="Register"/>).</remarks>
public static class MethodCatalog
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<MethodEntry> _entries = Discover(typeof(MethodCatalog).Assembly);

    /// <summary>All methods, by family then name: the library's, then those of loaded plugins.</summary>
    public static IReadOnlyList<MethodEntry> All => Volatile.Read(ref _entries);

    /// <summary>Adds the methods of <paramref name="assembly"/> (a plugin), found by the same rules as the library's.</summary>
    /// <exception cref="ConfigurationException">One of them has the name of a method already known.</exception>
    public static void Register(System.Reflection.Assembly assembly)
    {
        lock (Gate)
        {
            var added = Discover(assembly);
            var taken = added.FirstOrDefault(a => All.Any(e => e.Name == a.Name));
            if (taken is not null) throw new ConfigurationException($"plugin {assembly.GetName().Name}: a method called '{taken.Name}' already exists ({All.First(e => e.Name == taken.Name).Type.FullName}); rename {taken.Type.FullName}'s MethodName.");
            Volatile.Write(ref _entries, [.. All, .. added]);
        }
    }

    /// <summary>The method called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">Unknown name; the message lists the valid ones.</exception>
    public static MethodEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name.ToLowerInvariant())
        ?? throw new ConfigurationException($"unknown method '{name}'.{Spelling.Suggest(name, All.Select(e => e.Name))} Valid methods: {string.Join(", ", All.Select(e => e.Name))}.");

    /// <summary>Builds the methods of <paramref name="specs"/>; each may compose several with '+' (<c>l2init:lambda=0.01+replay</c>).</summary>
    public static IReadOnlyList<ContinualMethod> Create(IEnumerable<string> specs) =>
        [.. specs.SelectMany(SplitComposite).Select(text => { var spec = ComponentSpec.Parse(text, "method"); return Get(spec.Name).Create(spec); })];

    /// <summary>Splits <c>a:x=1e+2+b</c> into <c>a:x=1e+2</c> and <c>b</c>: a '+' separates methods only when a letter follows it.</summary>
    public static IEnumerable<string> SplitComposite(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '+' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]))
            {
                yield return text[start..i];
                start = i + 1;
            }
        yield return text[start..];
    }

    private static List<MethodEntry> Discover(Assembly assembly)
    {
        var entries = new List<MethodEntry>();
        foreach (var type in assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(ContinualMethod)) && !t.IsAbstract && t.IsPublic))
        {
            var info = type.GetCustomAttribute<MethodAttribute>();
            var nameField = type.GetField("MethodName", BindingFlags.Public | BindingFlags.Static);
            if (info is null || nameField?.GetRawConstantValue() is not string name) continue;
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            var optionsType = constructor.GetParameters() switch
            {
                [] => null,
                [var only] => only.ParameterType,
                _ => throw new InvalidOperationException($"{type.Name}: a catalogued method's constructor takes nothing or one options record."),
            };
            entries.Add(new MethodEntry(name, type, optionsType, info.Category, info.Paper));
        }
        var duplicate = entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two methods are called '{duplicate.Key}'.");
        return [.. entries.OrderBy(e => CategoryOrder(e.Category)).ThenBy(e => e.Name, StringComparer.Ordinal)];
    }

    private static int CategoryOrder(string category) => Array.IndexOf(["baseline", "plasticity", "forgetting", "pretrained", "meta"], category) switch { -1 => 99, var i => i };
}
