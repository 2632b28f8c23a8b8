using System.Security.Cryptography;
using System.Text;
using Lifelong.Catalog;
using Lifelong.Runs;
using Lifelong.Sweeps;

namespace Lifelong.Tests.Sweeps;

public class SweepPlanTests
{
    private static RunConfig Base => new() { Scenario = "permuted-mnist:tasks=2", Model = "mlp:16", Methods = ["l2init"] };

    private static SweepDefinition Definition(IReadOnlyList<SweepAxis> grid, IReadOnlyList<SweepAxis>? list = null, IReadOnlyList<ulong>? seeds = null, SweepSelection? select = null) =>
        new([KeyValuePair.Create("scenario", (IReadOnlyList<string>)["permuted-mnist:tasks=2"]), KeyValuePair.Create("model", (IReadOnlyList<string>)["mlp:16"])],
            grid, list ?? [], seeds ?? [], select);

    private static SweepPlan Plan(SweepDefinition definition) => SweepPlan.Create("test", definition, point =>
        point.Aggregate(Base, (config, setting) => SweepSettings.Apply(config, setting.Key, setting.Value)), SweepMetrics.Default);

    [Fact]
    public void Grid_axes_cross_list_axes_zip_and_every_variant_runs_on_every_seed()
    {
        var definition = Definition(
            grid: [new SweepAxis("optimizer.lr", ["1e-3", "1e-4", "1e-5"])],
            list: [new SweepAxis("method", ["l2init:lambda=0.1", "l2:lambda=0.2"]), new SweepAxis("model.hidden", ["8", "32"])],
            seeds: [0, 1]);
        var points = definition.Points();
        Assert.Equal(6, points.Count);
        Assert.Equal("method=l2init:lambda=0.1, model.hidden=8, optimizer.lr=1e-3", string.Join(", ", points[0].Select(p => $"{p.Key}={p.Value}")));
        Assert.Equal("method=l2:lambda=0.2, model.hidden=32, optimizer.lr=1e-5", string.Join(", ", points[5].Select(p => $"{p.Key}={p.Value}")));
        var plan = Plan(definition);
        Assert.Equal(12, plan.Runs.Count);
        Assert.Equal(6, plan.Variants().Count);
        Assert.All(plan.Variants(), v => Assert.Equal([0UL, 1UL], v.Select(r => r.Seed)));
        Assert.Equal(12, plan.Runs.Select(r => r.Hash).Distinct().Count());
        Assert.Equal("l2:lambda=0.2", plan.Runs[^1].Config!.Methods[0]);
        Assert.StartsWith("mlp:hidden=32", plan.Runs[^1].Config!.Model, StringComparison.Ordinal);
    }

    [Fact]
    public void List_axes_of_different_lengths_are_refused_by_name()
    {
        var definition = Definition([], [new SweepAxis("method", ["l2init", "l2"]), new SweepAxis("optimizer.lr", ["1e-3"])]);
        var e = Assert.Throws<ConfigurationException>(() => definition.Points());
        Assert.Contains("method has 2, optimizer.lr has 1", e.Message);
    }

    [Fact]
    public void Settings_that_resolve_to_the_same_config_are_one_run()
    {
        // l2init's default λ is spelled out by resolution, so writing it or not is the same run.
        double lambda = (double)(float)MethodCatalog.Get("l2init").Options.Single(o => o.Name == "lambda").Default!;
        var plan = Plan(Definition([new SweepAxis("method", ["l2init", $"l2init:lambda={lambda.ToString(System.Globalization.CultureInfo.InvariantCulture)}"])]));
        Assert.Single(plan.Runs);
    }

    [Fact]
    public void A_dotted_method_option_sets_it_on_the_methods_that_have_it_and_is_refused_where_none_has()
    {
        var config = SweepSettings.Apply(Base with { Methods = ["l2init+replay"] }, "method.lambda", "0.5");
        Assert.StartsWith("l2init:lambda=0.5+replay", config.Methods[0], StringComparison.Ordinal);
        var e = Assert.Throws<ConfigurationException>(() => SweepSettings.Apply(Base with { Methods = ["finetune"] }, "method.lambda", "0.5"));
        Assert.Contains("has an option 'lambda'", e.Message);
    }

    [Fact]
    public void A_run_is_named_by_the_sha256_of_its_canonical_resolved_config()
    {
        var resolved = RunFactory.Resolve(Base);
        // Independent of where it is written and of the seed's siblings; different for another seed.
        Assert.Equal(RunHash.Of(resolved), RunHash.Of(resolved with { Out = "/somewhere/else" }));
        Assert.NotEqual(RunHash.Of(resolved), RunHash.Of(resolved with { Seed = 1 }));
        Assert.Equal(RunHash.VariantOf(resolved), RunHash.VariantOf(resolved with { Seed = 1 }));
        string canonical = RunHash.Canonical(resolved);
        Assert.StartsWith("{\"auroc\":false,\"checkpoint_every\":0,\"dormant_threshold\":0.025,\"eval_every\":1,", canonical, StringComparison.Ordinal);
        Assert.DoesNotContain("\"out\"", canonical, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..12], RunHash.Of(resolved));
    }

    [Fact]
    public void Selection_picks_each_groups_best_mean_and_skips_settings_that_did_not_finish()
    {
        var select = new SweepSelection("online_accuracy", Maximize: true, [0, 1], [2, 3], ["method"]);
        var chosen = select.Choose([
            ("a", "method=l2init", [0.5, 0.7], true),     // mean 0.6
            ("b", "method=l2init", [0.9, 0.9], false),    // best, but one run diverged
            ("c", "method=l2init", [0.6, 0.62], true),    // mean 0.61: chosen
            ("d", "method=l2", [0.3, 0.3], true),
        ]);
        Assert.Equal([KeyValuePair.Create("method=l2init", "c"), KeyValuePair.Create("method=l2", "d")], chosen);
        var lowest = (select with { Maximize = false }).Choose([("a", "g", [0.5, 0.7], true), ("c", "g", [0.6, 0.62], true)]);
        Assert.Equal("a", lowest.Single().Value);
        Assert.Equal("method=l2init", select.GroupOf([KeyValuePair.Create("method", "l2init:lambda=0.01"), KeyValuePair.Create("optimizer.lr", "1e-3")]));
        Assert.Throws<ConfigurationException>(() => new SweepSelection("online_accuracy", true, [0, 1], [1, 2], ["method"]).Validate());
    }
}
