using Lifelong.Cli;

// One ICommand per verb (Commands/), dispatched under the one top-level error handler.
return Dispatcher.Run(args, Console.Out, Console.Error);
