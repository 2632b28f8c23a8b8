namespace Lifelong.Cli.Tests;

public class ConfigOverrideTests
{
    /// <summary>A two-task permuted-MNIST run on a 16-unit MLP, small enough for a command-line test.</summary>
    private static string[] TinyRun(int steps) =>
        ["run", "--scenario", "permuted-mnist:train-per-task=200,test-size=100", "--tasks", "2", "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--model", "mlp:16"];

    [Fact]
    public void Method_on_the_command_line_replaces_the_config_files_comparison()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string config = folder.Sub("compare.yaml");
        File.WriteAllText(config, """
            scenario: permuted-mnist:train-per-task=200,test-size=100
            tasks: 2
            steps: 5
            model: mlp:16
            probe: none
            compare:
              - finetune
              - l2init
            """);
        var (code, _, error) = Cli.Run("run", config, "--method", "l2", "--out", folder.Sub("run"));
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(folder.Sub("run"), "result.json")), "a single run writes its result in --out itself");
        Assert.False(Directory.Exists(Path.Combine(folder.Sub("run"), "finetune")), "the file's comparison did not run");
        Assert.Contains("\"l2\"", File.ReadAllText(Path.Combine(folder.Sub("run"), "result.json")));
    }

    [Fact]
    public void A_compare_entry_carries_its_own_settings_and_label()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string config = folder.Sub("compare.yaml");
        File.WriteAllText(config, """
            scenario: permuted-mnist:train-per-task=200,test-size=100
            tasks: 2
            steps: 5
            model: mlp:16
            optimizer: adam:lr=1e-3
            probe: none
            compare:
              - finetune
              - finetune | optimizer=sgd:lr=0.5
              - l2init:lambda=0.1 | steps=3 | label=l2init-short
            """);
        var (code, output, error) = Cli.Run("run", config, "--out", folder.Sub("cmp"));
        Assert.True(code == 0, error);
        string Config(string variant) => File.ReadAllText(Path.Combine(folder.Sub("cmp"), variant, "config.json"));
        // config.json holds the resolved settings: the optimizer with every option, steps folded into the scenario.
        Assert.Contains("adam:lr=0.001", Config("finetune"));
        Assert.Contains("steps=5", Config("finetune"));
        Assert.Contains("sgd:lr=0.5", Config("finetune@sgd-lr=0.5"));
        Assert.Contains("steps=3", Config("l2init-short"));
        Assert.Contains("adam:lr=0.001", Config("l2init-short"));
        Assert.Contains("l2init-short", output);
    }

    [Theory]
    [InlineData("finetune | lr", "is not key=value")]
    [InlineData("finetune | seed=3", "cannot differ between variants")]
    [InlineData(" | steps=3", "no method")]
    [InlineData("finetune | bogus=1", "unknown setting 'bogus'")]
    public void A_bad_compare_entry_is_refused_before_anything_runs(string entry, string message)
    {
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run([.. TinyRun(steps: 5), "--compare", "finetune", "--compare", entry, "--out", folder.Sub("cmp")]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(Path.Combine(folder.Sub("cmp"), "finetune")), "the valid entry did not run first");
    }

    [Fact]
    public void Two_compare_entries_with_the_same_name_are_refused()
    {
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run([.. TinyRun(steps: 5), "--compare", "replay:size=10", "--compare", "replay:size=20", "--out", folder.Sub("cmp")]);
        Assert.Equal(2, code);
        Assert.Contains("label=NAME", error);
    }

    [Fact]
    public void A_diverging_run_stops_with_a_clear_error_and_writes_no_result()
    {
        // θ ← θ − lr·λ·θ with lr·λ = 1e4 multiplies the weights by −9,999 every step: infinite within a dozen steps.
        using var folder = new Cli.TempFolder();
        var (code, _, error) = Cli.Run([.. TinyRun(steps: 20), "--optimizer", "sgd:lr=1", "--method", "l2:lambda=1e4", "--probe", "none", "--out", folder.Sub("run")]);
        Assert.Equal(1, code);
        Assert.Contains("training diverged at task 0", error);
        Assert.Contains("Lower the learning rate", error);
        Assert.Contains("(l2)", error);
        Assert.False(File.Exists(Path.Combine(folder.Sub("run"), "result.json")), "no metrics of a broken network");
        Assert.Contains("\"diverged\"", File.ReadAllText(Path.Combine(folder.Sub("run"), "metrics.jsonl")));
    }

    [Fact]
    public void A_diverging_variant_does_not_stop_the_rest_of_a_comparison()
    {
        using var folder = new Cli.TempFolder();
        var (code, output, _) = Cli.Run([.. TinyRun(steps: 20), "--optimizer", "sgd:lr=0.01", "--probe", "none",
            "--compare", "l2:lambda=1e4 | optimizer=sgd:lr=1 | label=too-large", "--compare", "finetune", "--out", folder.Sub("cmp")]);
        Assert.Equal(1, code);
        Assert.True(File.Exists(Path.Combine(folder.Sub("cmp"), "finetune", "result.json")), "the variant after the diverged one ran");
        Assert.Contains("diverged, no result: too-large (task 0", output);
    }
}
