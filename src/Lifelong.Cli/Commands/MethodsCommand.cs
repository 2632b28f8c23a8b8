using Lifelong.Catalog;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong methods [NAME]</c>: every method with its family, paper, options and defaults; also the scenarios,
/// models and optimizers <c>run</c> accepts.</summary>
public sealed class MethodsCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "methods";

    /// <inheritdoc/>
    public string Summary => "list methods with their options, defaults and papers (and scenarios, models, optimizers)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count > 1 || (args.Count == 1 && args[0].StartsWith('-') && args[0] is not ("--help" or "-h")))
        {
            error.WriteLine("usage: lifelong methods [NAME]");
            return ExitCode.Usage;
        }
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            output.WriteLine("usage: lifelong methods [NAME]\nWithout a name: every method, scenario, model and optimizer. With one: that method in full.");
            return ExitCode.Ok;
        }
        if (args.Count == 1)
        {
            try
            {
                WriteMethod(output, MethodCatalog.Get(args[0]));
                return ExitCode.Ok;
            }
            catch (ConfigurationException e)
            {
                error.WriteLine($"lifelong methods: {ConfigurationException.Plain(e)}");
                return ExitCode.Usage;
            }
        }
        output.WriteLine("METHODS (--method NAME:key=value,...; compose with '+')");
        foreach (var group in MethodCatalog.All.GroupBy(m => m.Category))
        {
            output.WriteLine($"\n  [{group.Key}]");
            foreach (var method in group) WriteMethod(output, method);
        }
        output.WriteLine("\nSCENARIOS (--scenario NAME:key=value,...)");
        foreach (var scenario in ScenarioCatalog.All) WriteComponent(output, scenario.Name, scenario.Description, scenario.Options);
        output.WriteLine("\nMODELS (--model NAME:...)");
        foreach (var model in ModelCatalog.All) WriteComponent(output, model.Name, model.Description, model.Options);
        output.WriteLine("\nOPTIMIZERS (--optimizer NAME:...)");
        foreach (var optimizer in OptimizerCatalog.All) WriteComponent(output, optimizer.Name, "", optimizer.Options);
        return ExitCode.Ok;
    }

    private static void WriteMethod(TextWriter output, MethodEntry method)
    {
        output.WriteLine($"\n  {method.Name}  — {method.Summary}");
        output.WriteLine($"      paper: {method.Paper}");
        WriteOptions(output, method.Options);
    }

    private static void WriteComponent(TextWriter output, string name, string description, IReadOnlyList<OptionInfo> options)
    {
        output.WriteLine($"\n  {name}{(description.Length > 0 ? "  — " + description : "")}");
        WriteOptions(output, options);
    }

    private static void WriteOptions(TextWriter output, IReadOnlyList<OptionInfo> options)
    {
        foreach (var option in options)
        {
            string value = ComponentSpec.Format(option.Default);
            output.WriteLine($"      {option.Name,-22} {option.ValidValues,-20} default {(value.Length == 0 ? "none" : value),-10} {option.Description}");
        }
    }
}
