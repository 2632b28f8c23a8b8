namespace Lifelong.Cli.Tests;

public class ReportWarningTests
{
    [Fact]
    public void Report_warns_about_a_corrupt_config_json_naming_the_file()
    {
        using var folder = new Cli.TempFolder();
        string run = folder.Sub("run");
        Assert.Equal(0, Cli.Run(Cli.SmallRun(run, steps: 5)).Code);
        string config = Path.Combine(run, "config.json");
        File.WriteAllText(config, File.ReadAllText(config)[..40]);   // cut short, as a full disk or an editor might leave it

        var (code, output, error) = Cli.Run("report", run);
        Assert.True(code == 0, error);
        Assert.Contains("report.html", output, StringComparison.Ordinal);
        Assert.Contains($"warning: {config} is not valid JSON", error, StringComparison.Ordinal);
    }
}
