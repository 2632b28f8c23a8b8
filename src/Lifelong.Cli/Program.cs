using Lifelong.Cli;
using Lifelong.Cli.Commands;

// A hand-written dispatcher: one ICommand per verb, one file per command under Commands/.
ICommand[] commands = [new RunCommand(), new PretrainCommand(), new MethodsCommand(), new ReportCommand(), new BenchCommand(), new DatasetsCommand(), new MetaCommand(), new DistillCommand(), new TransferCommand(), new SweepCommand()];

return Dispatch(args, Console.Out, Console.Error);

int Dispatch(string[] arguments, TextWriter output, TextWriter error)
{
    if (arguments.Length == 0 || arguments[0] is "help" or "--help" or "-h")
    {
        PrintOverview(arguments.Length == 0 ? error : output);
        return arguments.Length == 0 ? ExitCode.Usage : ExitCode.Ok;
    }
    var command = commands.FirstOrDefault(c => c.Name == arguments[0]);
    if (command is null)
    {
        error.WriteLine($"lifelong: unknown command '{arguments[0]}'.");
        PrintOverview(error);
        return ExitCode.Usage;
    }
    return command.Run(arguments[1..], output, error);
}

void PrintOverview(TextWriter writer)
{
    writer.WriteLine("usage: lifelong <command> [arguments]");
    writer.WriteLine();
    foreach (var command in commands) writer.WriteLine($"  {command.Name,-10} {command.Summary}");
}
