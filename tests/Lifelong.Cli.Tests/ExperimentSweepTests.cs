using System.Globalization;
using Lifelong.Cli.Sweeps;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Tests;

/// <summary>A sweep over another command than run: <c>command: meta</c>, axes over its flags.</summary>
public class ExperimentSweepTests
{
    private const string Yaml = """
        command: meta
        dataset: mnist
        iterations: 12
        meta_batch: 2
        hidden: 16
        test_episodes: 10
        log_every: 4
        grid:
          method: [fomaml, proto-net]
        seeds: 2
        """;

    [Fact]
    public void A_meta_sweep_over_two_settings_and_two_seeds_gives_a_table_of_their_meta_test_accuracy()
    {
        using var folder = new Cli.TempFolder();
        var (plan, directory) = TinySweep.PlanAndRunAll(folder, "meta-tiny", Yaml, runs: 4, kind: "meta");
        Assert.Contains("4 runs: 0 queued, 0 running, 4 done, 0 failed, 0 diverged", Cli.Run("sweep", "status", directory).Output, StringComparison.Ordinal);

        var table = Cli.Run("sweep", "table", directory, "--format", "csv");
        Assert.True(table.Code == 0, table.Error);
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("variant,n,missing,accuracy_mean,accuracy_std,accuracy_ci95", lines[0]);
        foreach (var (method, line) in new[] { "fomaml", "proto-net" }.Zip(lines[1..]))
        {
            // The mean, by hand, of the two seeds' result.json accuracies.
            double expected = plan.Runs.Where(r => r.Label == $"method={method}").Select(r => (double)TinySweep.Result(directory, r)["accuracy"]!).Average();
            var cells = line.Split(',');
            Assert.Equal($"method={method}", cells[0]);
            Assert.Equal("2", cells[1]);
            Assert.Equal(expected, double.Parse(cells[3], CultureInfo.InvariantCulture), 12);
        }
        var report = Cli.Run("report", directory, "--out", folder.Sub("report.html"));
        Assert.True(report.Code == 0, report.Error);
        Assert.Contains("4 meta runs", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_naming_an_unknown_command_or_metric_is_a_usage_error()
    {
        using var folder = new Cli.TempFolder();
        Directory.CreateDirectory(folder.Path);
        string file = folder.Sub("bad.yaml");
        File.WriteAllText(file, "command: mata\niterations: 2\n");
        var (code, _, error) = Cli.Run("sweep", file, "--dry-run");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("a sweep cannot run 'mata'", error, StringComparison.Ordinal);
        Assert.Contains("meta", error, StringComparison.Ordinal);
        File.WriteAllText(file, "command: meta\nmetrics: [acc]\n");
        (code, _, error) = Cli.Run("sweep", file, "--dry-run");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("unknown metric 'acc' for 'meta' runs", error, StringComparison.Ordinal);
        File.WriteAllText(file, "command: meta\ngrid:\n  inner_lr: [0.1, -1]\n");
        (code, _, error) = Cli.Run("sweep", file, "--dry-run");
        Assert.Equal(ExitCode.Usage, code);
        Assert.Contains("inner_lr=-1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_conv_meta_sweep_expands_to_the_runs_of_the_script_it_replaces()
    {
        // scripts/conv-meta.sh ran, for each method and K, `meta few-shot --method M --shots K --conv 64 --iterations 500 --seed 0`
        // plus reptile's --inner-steps 5 --inner-lr 0.1 and pretrain's --inner-lr 0.1 --test-inner-steps 10.
        string file = Path.Combine(RepositoryRoot(), "configs", "sweeps", "conv-meta.yaml");
        var (definition, metrics) = SweepFile.Read(file);
        var kind = SweepCommands.Find(SweepFile.Command(file).Command)!;
        var plan = ExperimentSweep.Create("conv-meta", definition, kind, metrics);
        var script = new List<string>();
        foreach (string method in new[] { "maml", "fomaml", "proto-net", "pretrain", "reptile" })
            foreach (string shots in new[] { "1", "5" })
            {
                string[] extra = method switch { "reptile" => ["--inner-steps", "5", "--inner-lr", "0.1"], "pretrain" => ["--inner-lr", "0.1", "--test-inner-steps", "10"], _ => [] };
                // The sweep logs every iteration (so final_loss is the last iteration's, as the script's log showed); that changes no number.
                script.Add(RunHash.Of(kind.Resolve(["--method", method, "--shots", shots, "--conv", "64", "--iterations", "500", "--seed", "0", "--log-every", "1", .. extra])));
            }
        Assert.Equal(script, plan.Runs.Select(r => r.Hash));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lifelong.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("the repository root (Lifelong.slnx) is not above the test's directory.");
    }
}
