using Lifelong.Catalog;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong methods [NAME]</c>: every method with its family, paper, options and defaults; also the scenarios,
/// models and optimizers <c>run</c> accepts, and the meta-learners of <c>meta few-shot</c>.</summary>
public sealed class MethodsCommand : ICommand
{
    /// <inheritdoc/>
    public string Name => "methods";

    /// <inheritdoc/>
    public string Summary => "list methods with their options, defaults and papers (and scenarios, models, optimizers, meta-learners)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var plugins = args.Select((a, i) => (a, i)).Where(p => p.a == "--plugin" && p.i + 1 < args.Count).Select(p => args[p.i + 1]).ToList();
        args = [.. args.Where((a, i) => a != "--plugin" && (i == 0 || args[i - 1] != "--plugin"))];
        try
        {
            Plugins.LoadAll(plugins);
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"lifelong methods: {e.Message}");
            return ExitCode.Usage;
        }
        if (args.Count > 1 || (args.Count == 1 && args[0].StartsWith('-') && args[0] is not ("--help" or "-h")))
        {
            error.WriteLine("usage: lifelong methods [NAME] [--plugin PATH.dll ...]");
            return ExitCode.Usage;
        }
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            output.WriteLine("usage: lifelong methods [NAME] [--plugin PATH.dll ...]\nWithout a name: every method, scenario, model, optimizer and meta-learner. With one: that method in full.\n--plugin also lists the components of your own assembly.");
            return ExitCode.Ok;
        }
        if (args.Count == 1)
        {
            string name = args[0].ToLowerInvariant();
            if (MethodCatalog.All.FirstOrDefault(m => m.Name == name) is { } method) WriteMethod(output, method);
            else if (ScenarioCatalog.All.FirstOrDefault(s => s.Name == name) is { } scenario) WriteComponent(output, "scenario " + scenario.Name, scenario.Description, scenario.Options);
            else if (ModelCatalog.All.FirstOrDefault(m => m.Name == name) is { } model) WriteComponent(output, "model " + model.Name, model.Description, model.Options);
            else if (OptimizerCatalog.All.FirstOrDefault(o => o.Name == name) is { } optimizer) WriteComponent(output, "optimizer " + optimizer.Name, "", optimizer.Options);
            else if (MetaLearnerCatalog.Find(name) is { } learner) WriteMetaLearner(output, learner, "meta-learner ");
            else
            {
                var names = MethodCatalog.All.Select(m => m.Name).Concat(ScenarioCatalog.All.Select(s => s.Name)).Concat(ModelCatalog.All.Select(m => m.Name))
                    .Concat(OptimizerCatalog.All.Select(o => o.Name)).Concat(MetaLearnerCatalog.All.Select(m => m.Name));
                error.WriteLine($"lifelong methods: no method, scenario, model, optimizer or meta-learner is called '{args[0]}'.{Spelling.Suggest(args[0], names)} See: lifelong methods");
                return ExitCode.Usage;
            }
            return ExitCode.Ok;
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
        output.WriteLine("\nMETA-LEARNERS (lifelong meta few-shot --method NAME --key value ...)");
        foreach (var learner in MetaLearnerCatalog.All) WriteMetaLearner(output, learner, "");
        return ExitCode.Ok;
    }

    private static void WriteMetaLearner(TextWriter output, MetaLearnerEntry learner, string prefix)
    {
        int width = TextWrap.WidthOf(output);
        output.WriteLine();
        TextWrap.Write(output, $"  {prefix}{learner.Name}  — ", learner.Summary, 6, width);
        TextWrap.Write(output, "      paper: ", learner.Paper, 13, width);
        WriteOptions(output, learner.Options, width);
    }

    private static void WriteMethod(TextWriter output, MethodEntry method)
    {
        int width = TextWrap.WidthOf(output);
        output.WriteLine();
        TextWrap.Write(output, $"  {method.Name}  — ", method.Summary, 6, width);
        TextWrap.Write(output, "      paper: ", method.Paper, 13, width);
        WriteOptions(output, method.Options, width);
    }

    private static void WriteComponent(TextWriter output, string name, string description, IReadOnlyList<OptionInfo> options)
    {
        int width = TextWrap.WidthOf(output);
        output.WriteLine();
        TextWrap.Write(output, $"  {name}{(description.Length > 0 ? "  — " : "")}", description, 6, width);
        WriteOptions(output, options, width);
    }

    /// <summary>One option per entry: name, type and default on a line (wrapped when the type lists many values), then its
    /// description, beside them when it fits on the same line and below them otherwise.</summary>
    private static void WriteOptions(TextWriter output, IReadOnlyList<OptionInfo> options, int width)
    {
        foreach (var option in options)
        {
            string value = ComponentSpec.Format(option.Default);
            string head = $"{option.Name,-22} {option.ValidValues,-20} default {(value.Length == 0 ? "none" : value),-10}";
            string line = $"      {head} {option.Description}".TrimEnd();
            if (line.Length <= width) output.WriteLine(line);
            else
            {
                if (head.TrimEnd().Length + 6 <= width) output.WriteLine("      " + head.TrimEnd());
                else TextWrap.Write(output, "      ", head.TrimEnd(), 8, width);
                TextWrap.Write(output, "          ", option.Description, 10, width);
            }
        }
    }
}
