using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lifelong.Tests.Docs;

/// <summary>The README's C# snippets compile as shown, so a reader can paste one into a new console project that references
/// Lifelong and run it; an API change that breaks one fails here, not in a reader's hands.</summary>
public partial class ReadmeSnippetTests
{
    [GeneratedRegex(@"```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    /// <summary>What <c>dotnet new console</c> with <c>ImplicitUsings</c> adds to every file.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static string Readme()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lifelong.slnx"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return File.ReadAllText(Path.Combine(directory.FullName, "README.md")).ReplaceLineEndings("\n");
    }

    [Fact]
    public void Every_csharp_snippet_of_the_README_compiles_as_a_program_on_its_own()
    {
        var snippets = CSharpBlock().Matches(Readme()).Select(m => m.Groups["code"].Value).ToList();
        Assert.True(snippets.Count >= 3, $"expected the README's three C# snippets, found {snippets.Count}");
        // This test's own dependencies: the framework and the Lifelong assemblies, as a console project referencing Lifelong has.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal)).Select(p => MetadataReference.CreateFromFile(p)).ToList();
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var failures = new List<string>();
        for (int i = 0; i < snippets.Count; i++)
        {
            var compilation = CSharpCompilation.Create($"Snippet{i}",
                [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(snippets[i], parse, path: $"README snippet {i + 1}")],
                references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
            var problems = compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (problems.Count > 0) failures.Add($"snippet {i + 1}:\n  {string.Join("\n  ", problems)}\n{snippets[i]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }
}
