using Lifelong.Catalog;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Runtime;

public class CatalogTests
{
    [Fact]
    public void A_spec_separates_the_name_positional_values_and_options()
    {
        var spec = ComponentSpec.Parse("MLP:100, 50,layer-norm=true", "model");
        Assert.Equal("mlp", spec.Name);
        Assert.Equal(["100", "50"], spec.Positional);
        Assert.Equal("true", spec.Options["layer-norm"]);
        Assert.Equal("mlp:100,50,layer-norm=true", spec.ToString());
    }

    [Fact]
    public void Composite_methods_split_on_plus_before_a_letter_only()
    {
        Assert.Equal(["l2init:lambda=1e+2", "replay:size=10", "ewc"], MethodCatalog.SplitComposite("l2init:lambda=1e+2+replay:size=10+ewc"));
    }

    [Fact]
    public void Options_bind_by_any_spelling_and_unknown_ones_list_the_valid_ones()
    {
        var options = OptionBinder.Bind<PermutedMnistOptions>(new Dictionary<string, string> { ["batch_size"] = "32", ["Tasks"] = "7", ["permute-first-task"] = "yes" }, "scenario");
        Assert.Equal(new PermutedMnistOptions(Tasks: 7, BatchSize: 32, PermuteFirstTask: true), options);

        var e = Assert.Throws<ConfigurationException>(() => OptionBinder.Bind<PermutedMnistOptions>(new Dictionary<string, string> { ["taks"] = "3" }, "scenario 'permuted-mnist'"));
        Assert.Contains("unknown option 'taks'", e.Message);
        Assert.Contains("tasks, train-per-task, test-size", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_option_and_the_expected_type()
    {
        var e = Assert.Throws<ConfigurationException>(() => OptionBinder.Bind<SplitScenarioOptions>(new Dictionary<string, string> { ["flavour"] = "sideways" }, "scenario 'split-mnist'"));
        Assert.Contains("flavour", e.Message);
        Assert.Contains("task-incremental, domain-incremental, class-incremental", e.Message);
        Assert.Throws<ConfigurationException>(() => OptionBinder.Bind<SgdOptions>(new Dictionary<string, string> { ["lr"] = "NaN" }, "optimizer"));
    }

    [Fact]
    public void Unknown_names_list_what_is_valid()
    {
        Assert.Contains("finetune, joint", Assert.Throws<ConfigurationException>(() => MethodCatalog.Get("fine-tune")).Message);
        Assert.Contains("permuted-mnist", Assert.Throws<ConfigurationException>(() => ScenarioCatalog.Get("perm")).Message);
        Assert.Contains("mlp, cnn, vit", Assert.Throws<ConfigurationException>(() => ModelCatalog.Get("resnet")).Message);
        Assert.Contains("sgd, adam, adamw", Assert.Throws<ConfigurationException>(() => OptimizerCatalog.Get("lion")).Message);
    }

    [Fact]
    public void The_catalog_finds_every_method_with_its_paper()
    {
        Assert.Contains(MethodCatalog.All, m => m.Name == "finetune" && m.Category == "baseline");
        Assert.All(MethodCatalog.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Paper)));
        Assert.All(MethodCatalog.All, m => Assert.Equal(m.Name, m.Create(new ComponentSpec(m.Name, [], new Dictionary<string, string>())).Name));
    }

    [Fact]
    public void Settings_apply_over_a_config_and_unknown_settings_are_refused()
    {
        var config = new RunConfig().With([new("tasks", ["4"]), new("eval-every", ["2"]), new("methods", ["finetune", "joint"])]);
        Assert.Equal(4, config.Tasks);
        Assert.Equal(2, config.EvalEvery);
        Assert.Equal(["finetune", "joint"], config.Methods);
        Assert.Contains("Valid settings", Assert.Throws<ConfigurationException>(() => new RunConfig().With([new("epochs", ["3"])])).Message);
        Assert.Equal(config.ToJson(), RunConfig.FromJson(config.ToJson(), "config.json").ToJson());
    }
}

public class ModelCatalogTests
{
    [Fact]
    public void A_parameter_matched_crelu_mlp_is_narrower_but_not_smaller()
    {
        var options = new MlpModelOptions(Activation: Lifelong.NN.Activation.CRelu, MatchParameters: true);
        int[] widths = options.Widths(784, 10);
        long relu = MlpModelOptions.Parameters(784, [100, 100], 10, 1);
        Assert.True(widths[0] < 100, $"width {widths[0]}");
        Assert.True(MlpModelOptions.Parameters(784, widths, 10, 2) >= relu);
        Assert.True(MlpModelOptions.Parameters(784, [.. widths.Select(w => w - 1)], 10, 2) < relu);
        var network = ModelCatalog.Get("mlp").Create(ComponentSpec.Parse("mlp:activation=c-relu,match-parameters=true", "model"), new Lifelong.Data.ImageShape(1, 28, 28), 10, new Lifelong.Tensors.Rng(0));
        Assert.True(network.ParameterCount >= relu);
    }
}
