using Lifelong.NN;

namespace Lifelong.Catalog;

/// <summary>Options of <c>--optimizer sgd</c>.</summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Momentum">Momentum (PyTorch's formulation).</param>
/// <param name="WeightDecay">Coupled L2 weight decay.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
public sealed record SgdOptions([Positive] double Lr = 0.01, [Between(0, 1, MaxExclusive = true)] double Momentum = 0, [NonNegative] double WeightDecay = 0, bool Nesterov = false);

/// <summary>Options of <c>--optimizer adam</c>.</summary>
/// <param name="Lr">Learning rate; 1e-3 (L2 Init's MNIST setting).</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Eps">Denominator ε.</param>
/// <param name="WeightDecay">Coupled L2 weight decay.</param>
public sealed record AdamOptions([Positive] double Lr = 1e-3, [Between(0, 1, MaxExclusive = true)] double Beta1 = 0.9, [Between(0, 1, MaxExclusive = true)] double Beta2 = 0.999, [Positive] double Eps = 1e-8, [NonNegative] double WeightDecay = 0);

/// <summary>Options of <c>--optimizer adamw</c> (Loshchilov &amp; Hutter 2019).</summary>
/// <param name="Lr">Learning rate.</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Eps">Denominator ε.</param>
/// <param name="WeightDecay">Decoupled weight decay; 0.01 as PyTorch.</param>
public sealed record AdamWOptions([Positive] double Lr = 1e-3, [Between(0, 1, MaxExclusive = true)] double Beta1 = 0.9, [Between(0, 1, MaxExclusive = true)] double Beta2 = 0.999, [Positive] double Eps = 1e-8, [NonNegative] double WeightDecay = 1e-2);

/// <summary>An optimizer the catalog can build.</summary>
/// <param name="Name">The command-line name.</param>
/// <param name="OptionsType">Its options record.</param>
/// <param name="Build">Builds it over the given parameters.</param>
public sealed record OptimizerEntry(string Name, Type OptionsType, Func<object, IEnumerable<Tensor>, Optimizer> Build)
{
    /// <summary>The options with defaults and docs.</summary>
    public IReadOnlyList<OptionInfo> Options => OptionBinder.Describe(OptionsType);

    /// <summary>Binds <paramref name="spec"/> and builds the optimizer over <paramref name="parameters"/>.</summary>
    public Optimizer Create(ComponentSpec spec, IEnumerable<Tensor> parameters)
    {
        if (spec.Positional.Count > 0) throw new ConfigurationException($"optimizer '{Name}': options must be key=value, got '{string.Join(",", spec.Positional)}'.");
        var options = OptionBinder.Bind(OptionsType, spec.Options, $"optimizer '{Name}'");
        try
        {
            return Build(options, parameters);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"optimizer '{Name}': {ConfigurationException.Plain(e)}", e);
        }
    }
}

/// <summary>The optimizers <c>lifelong run --optimizer</c> knows.</summary>
public static class OptimizerCatalog
{
    /// <summary>All optimizers.</summary>
    public static IReadOnlyList<OptimizerEntry> All { get; } =
    [
        new("sgd", typeof(SgdOptions), (o, p) => { var s = (SgdOptions)o; return new Sgd(p, s.Lr, s.Momentum, 0, s.Nesterov, s.WeightDecay); }),
        new("adam", typeof(AdamOptions), (o, p) => { var a = (AdamOptions)o; return new Adam(p, a.Lr, a.Beta1, a.Beta2, a.Eps, a.WeightDecay); }),
        new("adamw", typeof(AdamWOptions), (o, p) => { var a = (AdamWOptions)o; return new AdamW(p, a.Lr, a.Beta1, a.Beta2, a.Eps, a.WeightDecay); }),
    ];

    /// <summary>The optimizer called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">Unknown name; the message lists the valid ones.</exception>
    public static OptimizerEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name.ToLowerInvariant())
        ?? throw new ConfigurationException($"unknown optimizer '{name}'.{Spelling.Suggest(name, All.Select(e => e.Name))} Valid optimizers: {string.Join(", ", All.Select(e => e.Name))}.");
}
