using System.Reflection;
using System.Runtime.Loader;

namespace Lifelong.Catalog;

/// <summary>Assemblies of the user's own methods, scenarios and models, loaded so that the catalogs know them by name
/// (<c>lifelong run --plugin PATH</c>, a config's <c>plugins:</c> list).</summary>
/// <remarks>
/// A plugin is found by the same rules as the library's own components: every public <see cref="Training.ContinualMethod"/>
/// with a <see cref="MethodAttribute"/> and a <c>MethodName</c> constant (<see cref="MethodCatalog"/>), and every public static
/// property or field of type <see cref="ScenarioEntry"/> or <see cref="ModelEntry"/> on a public class
/// (<see cref="ScenarioCatalog"/>, <see cref="ModelCatalog"/>). Assemblies load into the default context, so a plugin shares
/// the host's <c>Lifelong</c> types; its other dependencies are looked up beside it. Loading the same file again does nothing.
/// </remarks>
public static class Plugins
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
    private static readonly List<string> Folders = [];

    /// <summary>The full paths of the plugins loaded so far, in load order.</summary>
    public static IReadOnlyList<string> Paths
    {
        get { lock (Gate) return [.. Loaded.Keys]; }
    }

    /// <summary>Loads the plugin at <paramref name="path"/> and registers its components with the catalogs.</summary>
    /// <exception cref="ConfigurationException">The file is missing, not a .NET assembly, or defines a name already taken.</exception>
    public static Assembly Load(string path)
    {
        string full = Path.GetFullPath(path);
        lock (Gate)
        {
            if (Loaded.TryGetValue(full, out var known)) return known;
            if (!File.Exists(full)) throw new ConfigurationException($"plugin '{path}' does not exist (expected the .dll of a .NET class library; see docs/cli.md, Plugins).");
            Assembly assembly;
            try
            {
                if (Folders.Count == 0) AssemblyLoadContext.Default.Resolving += ResolveBesidePlugins;
                Folders.Add(Path.GetDirectoryName(full)!);
                var name = AssemblyName.GetAssemblyName(full);
                // A plugin the host already references (a test, an application) is used as loaded, not loaded twice.
                assembly = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name)
                    ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new ConfigurationException($"plugin '{path}' could not be loaded: {e.Message}", e);
            }
            try
            {
                MethodCatalog.Register(assembly);
                ScenarioCatalog.Register(assembly);
                ModelCatalog.Register(assembly);
            }
            catch (ReflectionTypeLoadException e)
            {
                throw new ConfigurationException($"plugin '{path}': its types could not be loaded ({e.LoaderExceptions.FirstOrDefault()?.Message}); was it built against this version of Lifelong?", e);
            }
            Loaded[full] = assembly;
            return assembly;
        }
    }

    /// <summary>Loads every plugin in <paramref name="paths"/> (see <see cref="Load"/>).</summary>
    public static void LoadAll(IEnumerable<string> paths)
    {
        foreach (string path in paths) Load(path);
    }

    /// <summary>The public static values of type <typeparamref name="T"/> that <paramref name="assembly"/>'s public classes expose.</summary>
    internal static IEnumerable<T> Exposed<T>(Assembly assembly) where T : class =>
        assembly.GetExportedTypes().Where(t => t.IsClass && !t.ContainsGenericParameters).SelectMany(type =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(T) && p.GetIndexParameters().Length == 0).Select(p => p.GetValue(null))
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(T)).Select(f => f.GetValue(null))))
            .OfType<T>();

    private static Assembly? ResolveBesidePlugins(AssemblyLoadContext context, AssemblyName name)
    {
        string[] folders;
        lock (Gate) folders = [.. Folders];
        foreach (string folder in folders)
        {
            string candidate = Path.Combine(folder, name.Name + ".dll");
            if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }
}
