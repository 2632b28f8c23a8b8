using System.Reflection;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong version</c> (also <c>lifelong --version</c>): the informational version of the build.</summary>
public sealed class VersionCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "version";

    /// <inheritdoc/>
    public string Summary => "print the version (also: lifelong --version)";

    /// <summary>The assembly's informational version (the package version, with the commit when the build records it).</summary>
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count > 0)
        {
            error.WriteLine("usage: lifelong version   (or: lifelong --version)");
            return ExitCode.Usage;
        }
        output.WriteLine($"lifelong {Version}");
        return ExitCode.Ok;
    }
}
