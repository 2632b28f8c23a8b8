namespace Lifelong.Cli;

/// <summary>One top-level verb of the <c>lifelong</c> command (<c>datasets</c>, later <c>run</c>, <c>report</c>, <c>bench</c>).</summary>
public interface ICommand
{
    /// <summary>The verb typed on the command line.</summary>
    string Name { get; }

    /// <summary>One line for the overview printed by <c>lifelong help</c>.</summary>
    string Summary { get; }

    /// <summary>Runs the verb with the arguments after it; returns an <see cref="ExitCode"/>.</summary>
    int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error);
}

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCode
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and failed (missing data, corrupt file, ...).</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (unknown verb, missing argument, unknown name).</summary>
    public const int Usage = 2;
}
