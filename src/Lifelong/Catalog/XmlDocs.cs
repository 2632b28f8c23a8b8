using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Lifelong.Catalog;

/// <summary>Reads the XML documentation files built beside our assemblies, so <c>lifelong methods</c> shows the same text
/// as the code's doc comments (one source of truth). Missing files give empty strings, never errors.</summary>
public static partial class XmlDocs
{
    private static readonly ConcurrentDictionary<Assembly, XDocument?> Files = new();

    /// <summary>The summary of <paramref name="type"/>, as one line of plain text.</summary>
    public static string Summary(Type type) => Clean(Member(type)?.Element("summary"));

    /// <summary>The doc of record parameter <paramref name="parameter"/> of <paramref name="type"/> (its <c>param</c> tag).</summary>
    public static string Parameter(Type type, string parameter) =>
        Clean(Member(type)?.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == parameter));

    /// <summary>The summary of field <paramref name="field"/> of <paramref name="type"/> (an enum value), as one line of plain text.</summary>
    public static string Field(Type type, string field) => Clean(Member(type, "F:", "." + field)?.Element("summary"));

    private static XElement? Member(Type type, string kind = "T:", string suffix = "")
    {
        var document = Files.GetOrAdd(type.Assembly, Load);
        string id = kind + type.FullName?.Replace('+', '.') + suffix;
        return document?.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == id);
    }

    private static XDocument? Load(Assembly assembly)
    {
        try
        {
            string path = Path.ChangeExtension(assembly.Location, ".xml");
            return File.Exists(path) ? XDocument.Load(path) : null;
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Clean(XElement? element)
    {
        if (element is null) return "";
        foreach (var reference in element.Descendants().Where(e => e.Name == "see" || e.Name == "paramref" || e.Name == "typeparamref").ToList())
        {
            string target = (string?)reference.Attribute("cref") ?? (string?)reference.Attribute("name") ?? (string?)reference.Attribute("langword") ?? "";
            reference.ReplaceWith(target[(target.LastIndexOf('.') + 1)..]);
        }
        return Whitespace().Replace(element.Value, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
