using Lifelong.Catalog;
using Lifelong.Runs;

namespace Lifelong.Sweeps;

/// <summary>Applies one axis value of a sweep to a run config.</summary>
public static class SweepSettings
{
    /// <summary><paramref name="config"/> with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    /// <remarks>
    /// A plain key is a run-config setting (<c>optimizer</c>, <c>tasks</c>; <c>method</c> sets the method list to one
    /// entry). A dotted key sets one option of a component: <c>optimizer.lr</c>, <c>scenario.steps</c>, <c>model.hidden</c>,
    /// and <c>method.lambda</c> on every method of the run that has a <c>lambda</c> option.
    /// </remarks>
    /// <exception cref="ConfigurationException">An unknown setting, component or option.</exception>
    public static RunConfig Apply(RunConfig config, string key, string value)
    {
        int dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
            return config.With([KeyValuePair.Create(key is "method" ? "methods" : key, (IReadOnlyList<string>)[value])]);
        string component = key[..dot].Trim().ToLowerInvariant(), option = key[(dot + 1)..].Trim();
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal) { [option] = value };
        return component switch
        {
            "scenario" => config with { Scenario = ComponentSpec.Parse(config.Scenario, "scenario").With(overrides).ToString() },
            // mlp:100,100 gives the hidden widths positionally; model.hidden replaces them.
            "model" => config with { Model = (ComponentSpec.Parse(config.Model, "model") is var spec && option == "hidden" ? spec with { Positional = [] } : spec).With(overrides).ToString() },
            "optimizer" => config with { Optimizer = ComponentSpec.Parse(config.Optimizer, "optimizer").With(overrides).ToString() },
            "method" or "methods" => config with { Methods = SetMethodOption(config.Methods, option, value, key) },
            _ => throw new ConfigurationException($"sweep setting '{key}': '{component}' is not a component; dotted keys set an option of scenario, model, optimizer or method (e.g. method.lambda, optimizer.lr)."),
        };
    }

    private static List<string> SetMethodOption(IReadOnlyList<string> methods, string option, string value, string key)
    {
        string wanted = Normalise(option);
        bool any = false;
        var result = methods.Select(entry => string.Join('+', MethodCatalog.SplitComposite(entry).Select(text =>
        {
            var spec = ComponentSpec.Parse(text, "method");
            if (!MethodCatalog.Get(spec.Name).Options.Any(o => Normalise(o.Name) == wanted)) return text;
            any = true;
            var options = spec.Options.Where(o => Normalise(o.Key) != wanted).Append(KeyValuePair.Create(option, value)).ToDictionary(StringComparer.Ordinal);
            return (spec with { Options = options }).ToString();
        }))).ToList();
        if (!any) throw new ConfigurationException($"sweep setting '{key}': none of the methods ({string.Join(", ", methods)}) has an option '{option}'; see lifelong methods.");
        return result;
    }

    private static string Normalise(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
