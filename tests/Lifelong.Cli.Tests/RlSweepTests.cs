using System.Globalization;

namespace Lifelong.Cli.Tests;

/// <summary>A sweep over <c>lifelong rl</c>: <c>command: rl</c>, axes over its flags, the table over average performance.</summary>
public class RlSweepTests
{
    private const string Yaml = """
        command: rl
        agent: ppo:preset=cchain,hidden=16x16,steps-per-env=64,minibatch-size=16,epochs=2
        levels: 2
        iterations_per_level: 2
        probe_size: 32
        grid:
          method: [none, l2init:lambda=0.01]
        seeds: 2
        """;

    [Fact]
    public void An_rl_sweep_over_two_methods_and_two_seeds_gives_a_table_of_their_average_performance()
    {
        using var folder = new Cli.TempFolder();
        var (plan, directory) = TinySweep.PlanAndRunAll(folder, "rl-tiny", Yaml, runs: 4, kind: "rl");
        // Seeds of one method differ (each run has its own seed), so the table's std is not zero by construction.
        var table = Cli.Run("sweep", "table", directory, "--format", "csv");
        Assert.True(table.Code == 0, table.Error);
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("variant,n,missing,average_performance_mean,average_performance_std,average_performance_ci95", lines[0]);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines[1..])
        {
            string label = line.Split(',')[0];
            double expected = plan.Runs.Where(r => r.Label == label).Select(r => (double)TinySweep.Result(directory, r)["average_performance"]!).Average();
            Assert.Equal(expected, double.Parse(line.Split(',')[3], CultureInfo.InvariantCulture), 12);
        }

        // Any number of an RL result.json is a column by its path: level 1's mean return, and the dormant fraction of
        // every hidden layer at the end of the last visit (the mean over layers, then over seeds).
        var paths = Cli.Run("sweep", "table", directory, "--format", "csv", "--metrics", "levels[1].mean_return,levels[-1].probe.layers[*].dormant_fraction");
        Assert.True(paths.Code == 0, paths.Error);
        var pathLines = paths.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("variant,n,missing,levels[1].mean_return_mean,", pathLines[0], StringComparison.Ordinal);
        foreach (var line in pathLines[1..])
        {
            string label = line.Split(',')[0];
            var results = plan.Runs.Where(r => r.Label == label).Select(r => TinySweep.Result(directory, r)).ToList();
            double level1 = results.Select(r => (double)r["levels"]![1]!["mean_return"]!).Average();
            double dormant = results.Select(r => r["levels"]![1]!["probe"]!["layers"]!.AsArray().Average(l => (double)l!["dormant_fraction"]!)).Average();
            Assert.Equal(level1, double.Parse(line.Split(',')[3], CultureInfo.InvariantCulture), 12);
            Assert.Equal(dormant, double.Parse(line.Split(',')[6], CultureInfo.InvariantCulture), 12);
        }
        var typo = Cli.Run("sweep", "table", directory, "--metrics", "average_perf");
        Assert.NotEqual(0, typo.Code);
        Assert.Contains("a path into its result.json", typo.Error, StringComparison.Ordinal);

        // The report draws the sweep's RL runs: seeds of one method grouped, its return curve and its table row.
        string page = folder.Sub("report.html");
        var report = Cli.Run("report", directory, "--out", page);
        Assert.True(report.Code == 0, report.Error);
        Assert.Contains("4 rl runs", report.Output, StringComparison.Ordinal);
        string html = File.ReadAllText(page);
        Assert.Contains("Return per iteration", html, StringComparison.Ordinal);
        Assert.Contains("ppo + l2init:lambda=0.01 on continual-cartpole", html, StringComparison.Ordinal);
        Assert.Contains("<td>0, 1</td>", html, StringComparison.Ordinal);
    }
}
