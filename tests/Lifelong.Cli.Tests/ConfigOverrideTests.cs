namespace Lifelong.Cli.Tests;

public class ConfigOverrideTests
{
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
}
