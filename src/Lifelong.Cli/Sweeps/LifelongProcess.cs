using System.Diagnostics;
using Lifelong.Cli.Commands;

namespace Lifelong.Cli.Sweeps;

/// <summary>How to start the <c>lifelong</c> command again, as this process was started: the apphost itself, or the
/// <c>dotnet</c> host with this assembly (under <c>dotnet run</c> and in tests).</summary>
public static class LifelongProcess
{
    /// <summary>The program and its leading arguments.</summary>
    public static IReadOnlyList<string> Command()
    {
        string assembly = typeof(SweepCommand).Assembly.Location;
        string? host = Environment.ProcessPath;
        string hostName = host is null ? "" : Path.GetFileNameWithoutExtension(host);
        if (host is not null && hostName == Path.GetFileNameWithoutExtension(assembly)) return [host];
        if (host is not null && hostName == "dotnet") return [host, assembly];
        return ["dotnet", assembly];
    }

    /// <summary>A start info for <c>lifelong ARGS</c>, output redirected.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var command = Command();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in command.Skip(1).Concat(args)) start.ArgumentList.Add(arg);
        return start;
    }
}
