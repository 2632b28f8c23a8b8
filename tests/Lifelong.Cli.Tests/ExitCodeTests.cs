namespace Lifelong.Cli.Tests;

public class ExitCodeTests
{
    [Theory]
    [InlineData("unknown method 'nope'. Valid methods: finetune, joint", "--method", "nope")]
    [InlineData("unknown scenario 'mnist-perm'", "--scenario", "mnist-perm")]
    [InlineData("unknown model 'resnet'", "--model", "resnet")]
    [InlineData("unknown optimizer 'lion'", "--optimizer", "lion")]
    [InlineData("method 'finetune' has no options", "--method", "finetune:lambda=1")]
    [InlineData("option 'lr': 'fast' is not a valid value", "--optimizer", "adam:lr=fast")]
    [InlineData("unknown flag --epochs", "--epochs", "3")]
    [InlineData("scenario 'split-mnist' has no 'tasks' option", "--scenario", "split-mnist", "--tasks", "3")]
    [InlineData("--seed needs a value", "--seed")]
    [InlineData("setting 'eval_every' = 0 is not valid; expected an integer ≥ 1", "--eval-every", "0")]
    [InlineData("den needs a head per task", "--scenario", "permuted-mnist:tasks=2", "--method", "den")]
    [InlineData("upgd is an update rule applied through a plain SGD step", "--scenario", "permuted-mnist:tasks=2", "--method", "upgd")]
    public void Bad_usage_exits_with_2_and_says_what_is_wrong(string message, params string[] flags)
    {
        var (code, _, error) = Cli.Run(["run", .. flags]);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_missing_config_file_is_bad_usage()
    {
        var (code, _, error) = Cli.Run("run", "/nonexistent/preset.yaml");
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }

    [Fact]
    public void Resuming_a_directory_that_is_not_a_run_fails_with_1()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        var (code, _, error) = Cli.Run("run", "--resume", folder.Path);
        Assert.Equal(1, code);
        Assert.Contains("no config.json", error);
    }

    [Fact]
    public void Methods_lists_every_method_with_options_and_papers()
    {
        var (code, output, _) = Cli.Run("methods");
        Assert.Equal(0, code);
        Assert.Contains("finetune", output);
        Assert.Contains("paper:", output);
        Assert.Contains("permuted-mnist", output);
        Assert.Contains("train-per-task", output);
        Assert.Equal(2, Cli.Run("methods", "nope").Code);
    }

    [Fact]
    public void A_run_writes_its_files_and_refuses_to_overwrite_them()
    {
        using var folder = new Cli.TempFolder();
        string runDirectory = folder.Sub("run");
        var (code, output, error) = Cli.Run(Cli.SmallRun(runDirectory, steps: 10));
        Assert.True(code == 0, error);
        Assert.Contains("ACC (final mean)", output);
        foreach (string file in new[] { "config.json", "metrics.jsonl", "result.json", "accuracy_matrix.csv", "tasks.csv", "probes.csv", "checkpoint.safetensors" })
            Assert.True(File.Exists(Path.Combine(runDirectory, file)), file);

        var again = Cli.Run(Cli.SmallRun(runDirectory, steps: 10));
        Assert.Equal(2, again.Code);
        Assert.Contains("already holds a run", again.Error);
    }

    [Fact]
    public void A_yaml_config_is_read_and_flags_override_it()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string yaml = folder.Sub("preset.yaml");
        File.WriteAllText(yaml, """
            scenario: permuted-mnist:train-per-task=500,test-size=100
            tasks: 2
            steps: 5
            model: mlp:16
            methods: [finetune]
            seed: 3
            """);
        var (code, _, error) = Cli.Run("run", yaml, "--seed", "4", "--out", folder.Sub("run"), "--probe", "none");
        Assert.True(code == 0, error);
        string config = File.ReadAllText(Path.Combine(folder.Sub("run"), "config.json"));
        Assert.Contains("\"seed\": 4", config);
        Assert.Contains("tasks=2", config);
    }
}

public class ReportCommandTests
{
    [Fact]
    public void Report_writes_a_page_for_a_run_and_fails_clearly_without_a_result()
    {
        using var folder = new Cli.TempFolder();
        string run = folder.Sub("run");
        Assert.Equal(0, Cli.Run(Cli.SmallRun(run, steps: 5)).Code);
        var (code, output, _) = Cli.Run("report", run);
        Assert.Equal(0, code);
        Assert.Contains("report.html", output);
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(run, "report.html")));

        Directory.CreateDirectory(folder.Sub("empty"));
        var missing = Cli.Run("report", folder.Sub("empty"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("result.json", missing.Error);
        Assert.Equal(2, Cli.Run("report").Code);
    }
}
