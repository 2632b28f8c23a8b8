using Lifelong.Catalog;
using Lifelong.Cli.Commands;

namespace Lifelong.Cli;

/// <summary>The <c>lifelong</c> command line: picks the verb and runs it under the one top-level handler, so that no .NET stack
/// trace ever reaches the user.</summary>
/// <remarks>
/// A <see cref="ConfigurationException"/> that escapes a command is a usage error (exit 2). Anything else is a failure the
/// program did not foresee: the user gets one line naming it and the file that holds the full trace (exit 1); with
/// <c>--verbose</c> anywhere on the line the trace is printed instead. The trace goes to <see cref="ErrorLog"/>: the run
/// directory when a command has one, else a new file in the temporary folder.
/// </remarks>
public static class Dispatcher
{
    /// <summary>The flag, accepted anywhere on the line, that prints the full trace of an unexpected error.</summary>
    public const string VerboseFlag = "--verbose";

    /// <summary>Every verb, one <see cref="ICommand"/> each.</summary>
    public static IReadOnlyList<ICommand> Commands { get; } =
        [new RunCommand(), new PretrainCommand(), new MethodsCommand(), new ReportCommand(), new BenchCommand(), new DatasetsCommand(), new MetaCommand(), new DistillCommand(), new TransferCommand(), new RlCommand(), new SweepCommand(), new VersionCommand()];

    /// <summary>Runs the command line <paramref name="arguments"/>; returns its <see cref="ExitCode"/>.</summary>
    public static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error) => Run(arguments, output, error, Commands);

    /// <summary>Runs the command line <paramref name="arguments"/> with the verbs <paramref name="commands"/>; returns its <see cref="ExitCode"/>.</summary>
    public static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter error, IReadOnlyList<ICommand> commands)
    {
        bool verbose = arguments.Contains(VerboseFlag);
        var args = arguments.Where(a => a != VerboseFlag).ToList();
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            PrintOverview(args.Count == 0 ? error : output, commands);
            return args.Count == 0 ? ExitCode.Usage : ExitCode.Ok;
        }
        var command = commands.FirstOrDefault(c => c.Name == (args[0] is "--version" or "-V" ? "version" : args[0]));
        if (command is null)
        {
            error.WriteLine($"lifelong: unknown command '{args[0]}'.{Spelling.Suggest(args[0], commands.Select(c => c.Name))}");
            PrintOverview(error, commands);
            return ExitCode.Usage;
        }
        using var scope = ErrorLog.Begin();
        try
        {
            return command.Run(args[1..], output, error);
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"lifelong {command.Name}: {e.Message}");
            return ExitCode.Usage;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error.WriteLine($"lifelong {command.Name}: unexpected error: {OneLine(e)}");
            if (verbose)
            {
                error.WriteLine(e.ToString());
                return ExitCode.Failure;
            }
            string? log = ErrorLog.Write(e, args);
            error.WriteLine(log is null ? "(the details could not be written to a log file; rerun with --verbose to see them)" : $"details: {log} (or rerun with --verbose)");
            return ExitCode.Failure;
        }
    }

    /// <summary>The exception's type and first line of message, without .NET's parameter suffixes.</summary>
    private static string OneLine(Exception e)
    {
        string message = ConfigurationException.Plain(e).ReplaceLineEndings(" ").Trim();
        if (message.Length > 300) message = message[..300] + "…";
        return $"{message} ({e.GetType().Name})";
    }

    private static void PrintOverview(TextWriter writer, IReadOnlyList<ICommand> commands)
    {
        writer.WriteLine("usage: lifelong <command> [arguments] [--verbose]");
        writer.WriteLine();
        foreach (var command in commands) TextWrap.Write(writer, $"  {command.Name,-10} ", command.Summary, 13, TextWrap.WidthOf(writer));
    }
}
