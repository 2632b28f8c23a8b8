using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Runs;

namespace Lifelong.Tests.Catalog;

/// <summary>The config round-trip guarantee: for every component of every catalog, with its defaults and with random valid
/// options, the resolved spec a run writes into config.json parses back to the same options and resolves to the same text.</summary>
public class ConfigRoundTripTests
{
    private const int Draws = 12;

    public static TheoryData<string, string> Components()
    {
        var data = new TheoryData<string, string>();
        foreach (var e in ScenarioCatalog.All) data.Add("scenario", e.Name);
        foreach (var e in ModelCatalog.All) data.Add("model", e.Name);
        foreach (var e in MethodCatalog.All) data.Add("method", e.Name);
        foreach (var e in OptimizerCatalog.All) data.Add("optimizer", e.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Components))]
    public void Every_component_resolves_to_a_spec_that_parses_back_to_the_same_options(string kind, string name)
    {
        var (options, bind) = Component(kind, name);
        var random = new Random(name.Sum(c => c) * 31 + kind.Length);
        int checkedDraws = 0;
        for (int draw = 0; draw < Draws; draw++)
        {
            // Draw 0 is the defaults; the others give every option a random valid value.
            var given = draw == 0 ? [] : options.ToDictionary(o => o.Name, o => RandomValidValue(o, random));
            object bound;
            try { bound = bind(given); }
            catch (ConfigurationException) when (draw > 0) { continue; }   // a combination its constructor rules out
            string resolved = OptionBinder.Resolve(name, bound);

            var spec = ComponentSpec.Parse(resolved, kind);
            Assert.Equal(name, spec.Name);
            object reread = bind(spec.Options);
            Assert.Equal(resolved, OptionBinder.Resolve(name, reread));
            var values = OptionBinder.Values(reread).ToDictionary(v => v.Key, v => v.Value);
            foreach (var (key, text) in given)
            {
                var option = options.Single(o => o.Name == key);
                Assert.Equal(Canonical(text, option), values[key]);
            }
            checkedDraws++;
        }
        Assert.True(checkedDraws >= Draws / 2, $"{kind} '{name}': only {checkedDraws} of {Draws} draws bound");
    }

    [Fact]
    public void A_config_with_every_component_resolved_reads_back_identical_from_its_json()
    {
        var random = new Random(7);
        for (int draw = 0; draw < 20; draw++)
        {
            string Resolved(string kind, string name)
            {
                var (options, bind) = Component(kind, name);
                while (true)
                {
                    try { return OptionBinder.Resolve(name, bind(options.ToDictionary(o => o.Name, o => RandomValidValue(o, random)))); }
                    catch (ConfigurationException) { }
                }
            }
            var config = new RunConfig
            {
                Scenario = Resolved("scenario", ScenarioCatalog.All[random.Next(ScenarioCatalog.All.Count)].Name),
                Model = Resolved("model", ModelCatalog.All[random.Next(ModelCatalog.All.Count)].Name),
                Methods = [Resolved("method", MethodCatalog.All[random.Next(MethodCatalog.All.Count)].Name)],
                Optimizer = Resolved("optimizer", OptimizerCatalog.All[random.Next(OptimizerCatalog.All.Count)].Name),
                Seed = (ulong)random.NextInt64(),
                EvalSubset = random.Next(2) == 0 ? null : random.Next(1, 1000),
                DormantThreshold = random.NextDouble(),
                Out = "runs/x",
            };
            string json = config.ToJson();
            var reread = RunConfig.FromJson(json, "config.json");
            Assert.Equal(json, reread.ToJson());
            Assert.Equal(config.Methods, reread.Methods);
            Assert.Equal(config.Plugins, reread.Plugins);
            Assert.Equal(config with { Methods = reread.Methods, Plugins = reread.Plugins }, reread);
        }
    }

    [Fact]
    public void Every_default_lies_in_its_declared_range()
    {
        var all = ScenarioCatalog.All.SelectMany(e => e.Options).Concat(ModelCatalog.All.SelectMany(e => e.Options))
            .Concat(MethodCatalog.All.SelectMany(e => e.Options)).Concat(OptimizerCatalog.All.SelectMany(e => e.Options));
        foreach (var option in all.Where(o => o.Range is not null && o.Default is not null))
            Assert.True(option.Range!.Admits(Convert.ToDouble(option.Default, CultureInfo.InvariantCulture)), $"{option.Name}: default {option.Default} outside {option.ValidValues}");
        new RunConfig().Validate();
    }

    [Fact]
    public void Every_numeric_option_declares_its_range()
    {
        var numeric = new[] { typeof(int), typeof(long), typeof(float), typeof(double), typeof(int[]) };
        var all = ScenarioCatalog.All.SelectMany(e => e.Options.Select(o => (e.Name, o))).Concat(ModelCatalog.All.SelectMany(e => e.Options.Select(o => (e.Name, o))))
            .Concat(MethodCatalog.All.SelectMany(e => e.Options.Select(o => (e.Name, o)))).Concat(OptimizerCatalog.All.SelectMany(e => e.Options.Select(o => (e.Name, o))));
        var missing = all.Where(p => numeric.Contains(Nullable.GetUnderlyingType(p.o.Type) ?? p.o.Type) && p.o.Range is null).Select(p => $"{p.Name}:{p.o.Name}").ToList();
        Assert.Empty(missing);
    }

    private static (IReadOnlyList<OptionInfo> Options, Func<IReadOnlyDictionary<string, string>, object> Bind) Component(string kind, string name) => kind switch
    {
        "scenario" => (ScenarioCatalog.Get(name).Options, o => OptionBinder.Bind(ScenarioCatalog.Get(name).OptionsType, o, kind)),
        "model" => (ModelCatalog.Get(name).Options, o => ModelCatalog.Get(name).BindOptions(new ComponentSpec(name, [], o))),
        "method" => (MethodCatalog.Get(name).Options, o => MethodCatalog.Get(name).OptionsType is { } t ? OptionBinder.Bind(t, o, kind) : NoOptions(o)),
        _ => (OptimizerCatalog.Get(name).Options, o => OptionBinder.Bind(OptimizerCatalog.Get(name).OptionsType, o, kind)),
    };

    private static object NoOptions(IReadOnlyDictionary<string, string> options) =>
        options.Count == 0 ? new object() : throw new ConfigurationException("no options");

    /// <summary>What the resolved spec must say for a value given as <paramref name="text"/>: the value parsed and formatted back.</summary>
    private static string Canonical(string text, OptionInfo option) =>
        ComponentSpec.Format(OptionBinder.Convert(text, option.Type, option.Name, acceptsNull: true)) is { Length: > 0 } formatted ? formatted : "none";

    /// <summary>A random value inside the option's declared range (or of its type when it declares none), as text.</summary>
    internal static string RandomValidValue(OptionInfo option, Random random)
    {
        var type = Nullable.GetUnderlyingType(option.Type) ?? option.Type;
        var range = option.Range;
        if (type == typeof(bool)) return random.Next(2) == 0 ? "true" : "false";
        if (type.IsEnum) return OptionBinder.Kebab(Enum.GetNames(type)[random.Next(Enum.GetNames(type).Length)]);
        if (type == typeof(int) || type == typeof(long)) return RandomInt(range, random).ToString(CultureInfo.InvariantCulture);
        if (type == typeof(int[])) return string.Join('x', Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomInt(range, random)));
        if (type == typeof(float)) return ((float)RandomReal(range, random)).ToString("R", CultureInfo.InvariantCulture);
        if (type == typeof(double)) return RandomReal(range, random).ToString("R", CultureInfo.InvariantCulture);
        return "x" + random.Next(100);
    }

    private static long RandomInt(BetweenAttribute? range, Random random)
    {
        long low = range is null ? -5 : (long)(range.MinExclusive ? Math.Floor(range.Min) + 1 : Math.Ceiling(range.Min));
        long high = range is null || double.IsPositiveInfinity(range.Max) ? low + 300 : (long)(range.MaxExclusive ? Math.Ceiling(range.Max) - 1 : Math.Floor(range.Max));
        return random.NextInt64(low, Math.Min(high, low + 300) + 1);
    }

    private static double RandomReal(BetweenAttribute? range, Random random)
    {
        double low = range?.Min ?? -10, high = range is null || double.IsPositiveInfinity(range.Max) ? low + 10 : range.Max;
        // Small values in several decades, as real step sizes are, and the occasional bound itself when it is included.
        double u = random.NextDouble();
        double value = random.Next(4) switch
        {
            0 when !(range?.MinExclusive ?? false) => low,
            1 => low + (high - low) * Math.Pow(10, -random.Next(1, 8)) * u,
            _ => low + (high - low) * u,
        };
        return range is null || range.Admits(value) && range.Admits((float)value) ? value : (low + high) / 2;
    }
}
