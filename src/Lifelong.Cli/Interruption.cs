using System.Runtime.InteropServices;

namespace Lifelong.Cli;

/// <summary>Ctrl-C (SIGINT) during a run: say how to continue it, and exit with 130 (128 + SIGINT, as a shell reports it).</summary>
/// <remarks>
/// The process ends at once, wherever training is: every file a run writes is either appended line by line
/// (<c>metrics.jsonl</c>, whose torn last line a resume drops) or written to a temporary file and renamed over the old one
/// (checkpoints, <c>config.json</c>, <c>result.json</c>), so stopping between any two instructions loses at most the steps since
/// the last checkpoint — the same guarantee that makes a run killed with SIGKILL resume to the bit.
/// </remarks>
public static class Interruption
{
    /// <summary>The exit code after an interruption.</summary>
    public const int ExitCode = 130;

    /// <summary>Until disposed, SIGINT prints <c>interrupted; continue with: lifelong COMMAND --resume DIR</c> on
    /// <paramref name="error"/> and exits with <see cref="ExitCode"/>.</summary>
    /// <param name="directory">The run directory.</param> <param name="error">Where the line goes.</param>
    /// <param name="command">The command that resumes it: <c>run</c>, <c>meta few-shot</c>, <c>pretrain</c>, ...</param>
    public static IDisposable OnSigint(string directory, TextWriter error, string command = "run") =>
        PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            error.WriteLine();
            error.WriteLine($"lifelong {command}: interrupted; continue with: lifelong {command} --resume {Quote(directory)}");
            error.Flush();
            Environment.Exit(ExitCode);
        });

    private static string Quote(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`' or '\\' or '&' or ';' or '|' or '(' or ')' or '<' or '>' or '*' or '?')
        ? "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
        : path;
}
