using System.Globalization;

namespace Lifelong.Cli;

/// <summary>Where the full trace of an unexpected error goes: <c>error.log</c> in the directory of the run being made (a command
/// names it with <see cref="UseDirectory"/> once it knows it), else a new file in the temporary folder.</summary>
/// <remarks>The directory is kept per logical call (<see cref="AsyncLocal{T}"/>), so commands run side by side in one process
/// (the tests) do not write into each other's runs.</remarks>
public static class ErrorLog
{
    /// <summary>The log's file name inside a run directory.</summary>
    public const string FileName = "error.log";

    private static readonly AsyncLocal<string?> Directory = new();

    /// <summary>Starts a command: no directory known yet; the returned scope forgets it again.</summary>
    public static IDisposable Begin()
    {
        Directory.Value = null;
        return new Scope();
    }

    /// <summary>The run directory of the current command, from now on where a trace is written.</summary>
    public static void UseDirectory(string path) => Directory.Value = path;

    /// <summary>Writes <paramref name="e"/> with the command line that led to it; returns the file, or null when none could be written.</summary>
    public static string? Write(Exception e, IReadOnlyList<string> args)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O}\nlifelong {string.Join(' ', args)}\n\n{e}\n");
        string? directory = Directory.Value;
        string[] candidates = directory is not null && System.IO.Directory.Exists(directory)
            ? [Path.Combine(directory, FileName), TemporaryFile()]
            : [TemporaryFile()];
        foreach (string path in candidates)
        {
            try
            {
                File.AppendAllText(path, text);
                return path;
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException) { }
        }
        return null;
    }

    private static string TemporaryFile() =>
        Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"lifelong-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid():N}.log"));

    private sealed class Scope : IDisposable
    {
        public void Dispose() => Directory.Value = null;
    }
}
