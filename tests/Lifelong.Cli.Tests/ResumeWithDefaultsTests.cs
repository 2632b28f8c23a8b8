namespace Lifelong.Cli.Tests;

/// <summary>A run made with a model's defaults (no --model, or --model cnn) records <c>hidden=none</c> in config.json; that
/// config must be read back, by <c>run --resume</c> and by <c>run D/config.json</c>.</summary>
public class ResumeWithDefaultsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("cnn")]
    [InlineData("vit")]
    public void A_run_with_a_models_defaults_resumes_and_its_config_reruns_to_the_same_numbers(string? model)
    {
        using var folder = new Cli.TempFolder();
        string first = folder.Sub("first"), second = folder.Sub("second");
        string[] flags = ["--scenario", "permuted-mnist:train-per-task=64,test-size=32", "--tasks", "1", "--steps", "3", "--probe-size", "16", "--log-every", "1", "--out", first];
        var (code, _, error) = Cli.Run(["run", .. flags, .. model is null ? Array.Empty<string>() : ["--model", model]]);
        Assert.True(code == 0, error);
        string config = File.ReadAllText(Path.Combine(first, "config.json"));
        Assert.Contains("=none", config);   // hidden=none (mlp, cnn), patch-size=none (vit)

        // An interrupted run: its result gone, its checkpoint kept. Resuming must read the recorded config.
        string expected = Cli.ResultNumbers(Path.Combine(first, "result.json"));
        File.Delete(Path.Combine(first, "result.json"));
        (code, _, error) = Cli.Run("run", "--resume", first);
        Assert.True(code == 0, error);
        Assert.Equal(expected, Cli.ResultNumbers(Path.Combine(first, "result.json")));

        (code, _, error) = Cli.Run("run", Path.Combine(first, "config.json"), "--out", second);
        Assert.True(code == 0, error);
        Assert.Equal(expected, Cli.ResultNumbers(Path.Combine(second, "result.json")));
        Assert.Equal(config.Replace(first, second, StringComparison.Ordinal), File.ReadAllText(Path.Combine(second, "config.json")));
    }
}
