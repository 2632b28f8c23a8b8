using System.Diagnostics;
using System.Text.Json.Nodes;
using Lifelong.Cli.Sweeps;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Tests;

[Collection("sweep")]
public class SweepCommandTests(SweepFixture sweep)
{
    [Fact]
    public void A_local_sweep_runs_every_variant_on_every_seed_and_prints_the_table()
    {
        Assert.True(sweep.Result.Code == 0, sweep.Result.Error + sweep.Result.Output);
        var results = SweepFixture.Results(sweep.Reference);
        Assert.Equal(4, results.Count);
        // Each run directory holds the resolved config it is named by, and the seeds and methods the file asked for.
        var configs = Directory.GetDirectories(Path.Combine(sweep.Reference, "runs")).Select(d => JsonNode.Parse(File.ReadAllText(Path.Combine(d, "config.json")))!).ToList();
        Assert.Equal(["0", "0", "1", "1"], configs.Select(c => c["seed"]!.ToJsonString()).Order());
        Assert.Equal(2, configs.Count(c => c["methods"]![0]!.GetValue<string>() == "finetune"));
        Assert.Equal(2, configs.Count(c => c["methods"]![0]!.GetValue<string>().StartsWith("l2init:lambda=0.01", StringComparison.Ordinal)));
        Assert.Contains("method=finetune", sweep.Result.Output);
        Assert.Contains("acc (mean ± std, 95% CI)", sweep.Result.Output);
        Assert.Contains("0 queued, 0 running, 4 done, 0 failed, 0 diverged", sweep.Result.Output);
    }

    [Fact]
    public void Running_a_finished_sweep_again_reruns_nothing()
    {
        var before = Directory.GetDirectories(Path.Combine(sweep.Reference, "runs")).ToDictionary(d => d, d => File.ReadAllText(Path.Combine(d, "result.json")));
        var again = Cli.Run("sweep", sweep.File, "--out", sweep.Reference);
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("4 done, 0 to run", again.Output);
        foreach (var (directory, text) in before) Assert.Equal(text, File.ReadAllText(Path.Combine(directory, "result.json")));   // wall time included
        var status = Cli.Run("sweep", "status", sweep.Reference);
        Assert.Contains("4 runs: 0 queued, 0 running, 4 done, 0 failed, 0 diverged", status.Output);
    }

    [Fact]
    public void The_report_of_a_sweep_directory_draws_its_variants_as_groups_and_names_what_differs()
    {
        string page = sweep.Sub("report.html");
        var report = Cli.Run("report", sweep.Reference, "--out", page);
        Assert.True(report.Code == 0, report.Error);
        Assert.Contains("(4 runs in 2 groups)", report.Output);
        Assert.Contains("the groups differ in: methods[0]", report.Output);
        Assert.Contains("The groups differ in: methods[0].", File.ReadAllText(page));
    }

    [Fact]
    public void A_diverged_run_is_recorded_as_diverged_and_not_retried()
    {
        string file = sweep.Sub("diverge.yaml"), directory = sweep.Sub("diverge");
        File.WriteAllText(file, """
            scenario: permuted-mnist:train-per-task=200,test-size=100,batch-size=16
            tasks: 1
            steps: 10
            model: mlp:8
            probe: none
            optimizer: sgd:lr=1e30
            """);
        var first = Cli.Run("sweep", file, "--out", directory, "--parallel", "1");
        Assert.Equal(1, first.Code);
        Assert.Contains("0 done, 0 failed, 1 diverged", first.Output);
        string state = Directory.GetFiles(Path.Combine(directory, "state"), "*.json").Single();
        Assert.Contains("\"attempts\": 1", File.ReadAllText(state), StringComparison.Ordinal);

        var again = Cli.Run("sweep", file, "--out", directory);
        Assert.Contains("0 done, 0 to run", again.Output);
        Assert.Contains("\"attempts\": 1", File.ReadAllText(state), StringComparison.Ordinal);
        Assert.Contains("diverged", Cli.Run("sweep", "status", directory).Output);
    }

    [Fact]
    public void Compare_entries_in_the_base_config_become_a_list_axis()
    {
        string file = sweep.Sub("compare.yaml");
        File.WriteAllText(file, SweepFixture.Yaml.Replace("grid:\n  method: [finetune, l2init:lambda=0.01]\n", "compare: [finetune, 'l2init | optimizer=sgd:lr=0.1']\n", StringComparison.Ordinal));
        var dry = Cli.Run("sweep", file, "--dry-run");
        Assert.True(dry.Code == 0, dry.Error);
        Assert.Contains("4 runs", dry.Output);
        Assert.Contains("compare=l2init | optimizer=sgd:lr=0.1  seed 1", dry.Output);
        // The finetune entry is the reference sweep's finetune variant: the same resolved configs, the same names.
        var finetune = dry.Output.Split('\n').Where(l => l.Contains("compare=finetune", StringComparison.Ordinal)).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Equal(2, finetune.Count);
        Assert.All(finetune, hash => Assert.Contains(hash, SweepFixture.Results(sweep.Reference).Keys));
    }

    [Theory]
    [InlineData("grid: {method.lambda: [0.1]}\nmethod: finetune\n", "none of the methods (finetune) has an option 'lambda'")]
    [InlineData("list: {method: [finetune, l2init], optimizer.lr: [1e-3]}\n", "method has 2, optimizer.lr has 1")]
    [InlineData("grid: {learning_rate: [1e-3]}\n", "unknown setting 'learning_rate'")]
    [InlineData("seeds: [0, 1]\nselect: {metric: acc, tuning_seeds: 2, final_seeds: 1}\n", "remove the top-level 'seeds'")]
    [InlineData("select: {metric: accuracy_at_end, tuning_seeds: 2, final_seeds: 1}\n", "unknown metric 'accuracy_at_end'")]
    public void A_bad_sweep_file_is_a_usage_error_that_names_the_problem(string yaml, string message)
    {
        string file = sweep.Sub($"bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, yaml);
        var result = Cli.Run("sweep", file, "--dry-run");
        Assert.Equal(2, result.Code);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void Unknown_flags_and_missing_files_are_usage_errors()
    {
        Assert.Equal(2, Cli.Run("sweep", sweep.File, "--paralel", "2").Code);
        Assert.Contains("unknown flag --paralel", Cli.Run("sweep", sweep.File, "--paralel", "2").Error);
        Assert.Equal(2, Cli.Run("sweep", sweep.Sub("absent.yaml")).Code);
        Assert.Equal(1, Cli.Run("sweep", "status", sweep.Sub("absent")).Code);
    }

    [Fact]
    public void A_dry_run_lists_the_runs_by_the_hash_their_directories_get()
    {
        var dry = Cli.Run("sweep", sweep.File, "--dry-run", "--out", sweep.Sub("dry"));
        Assert.True(dry.Code == 0, dry.Error);
        foreach (string hash in SweepFixture.Results(sweep.Reference).Keys) Assert.Contains(hash, dry.Output);
        Assert.False(Directory.Exists(sweep.Sub("dry")));
    }

    [Fact]
    public void The_table_comes_in_every_format_with_the_same_means()
    {
        var json = JsonNode.Parse(Cli.Run("sweep", "table", sweep.Reference, "--format", "json", "--metrics", "acc").Output)!;
        var rows = json["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        // The mean and the t interval, recomputed here from the runs' own result.json files.
        foreach (var row in rows)
        {
            string method = row!["variant"]!.GetValue<string>().Contains("l2init", StringComparison.Ordinal) ? "l2init" : "finetune";
            var accs = Directory.GetDirectories(Path.Combine(sweep.Reference, "runs"))
                .Where(d => File.ReadAllText(Path.Combine(d, "config.json")).Contains($"\"{method}", StringComparison.Ordinal))
                .Select(d => JsonNode.Parse(File.ReadAllText(Path.Combine(d, "result.json")))!["summary"]!["acc"]!.GetValue<double>()).ToList();
            double mean = (accs[0] + accs[1]) / 2, std = Math.Abs(accs[0] - accs[1]) / Math.Sqrt(2);
            Assert.Equal(mean, row["metrics"]!["acc"]!["mean"]!.GetValue<double>(), 12);
            Assert.Equal(12.706204736 * std / Math.Sqrt(2), row["metrics"]!["acc"]!["ci95"]!.GetValue<double>(), 6);   // t(0.975, 1)
        }
        string csv = Cli.Run("sweep", "table", sweep.Reference, "--format", "csv").Output;
        Assert.StartsWith("variant,n,missing,acc_mean,acc_std,acc_ci95,", csv);
        Assert.Equal(3, csv.Trim().Split('\n').Length);
        Assert.Contains("| variant | n |", Cli.Run("sweep", "table", sweep.Reference, "--format", "markdown").Output);
    }

    [Fact]
    public void A_sweep_killed_with_SIGKILL_midway_completes_on_rerun_without_redoing_finished_runs_and_bit_for_bit()
    {
        string killed = sweep.Sub("killed");
        using (var process = Cli.Start(["sweep", sweep.File, "--out", killed, "--parallel", "1"]))
        {
            // Kill once one run has finished and the next has written a checkpoint: both kinds of state must survive.
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120) && !Midway(killed)) Thread.Sleep(5);
            process.Kill(entireProcessTree: true);   // SIGKILL to the executor and its children
            process.WaitForExit();
        }
        WaitForLockHolders(killed);
        var finished = Directory.Exists(Path.Combine(killed, "runs"))
            ? Directory.GetDirectories(Path.Combine(killed, "runs")).Where(d => File.Exists(Path.Combine(d, "result.json"))).ToDictionary(d => d, d => File.ReadAllText(Path.Combine(d, "result.json")))
            : [];
        Assert.True(finished.Count is > 0 and < 4, $"the kill came at the wrong time ({finished.Count} of 4 runs finished); the test proves nothing");

        var rerun = Cli.Run("sweep", sweep.File, "--out", killed, "--parallel", "2");
        Assert.True(rerun.Code == 0, rerun.Error + rerun.Output);
        Assert.True(rerun.Output.Contains($"{finished.Count} done, {4 - finished.Count} to run", StringComparison.Ordinal), rerun.Output);
        foreach (var (directory, text) in finished) Assert.Equal(text, File.ReadAllText(Path.Combine(directory, "result.json")));
        Assert.Equal(SweepFixture.Results(sweep.Reference), SweepFixture.Results(killed));
    }

    [Fact]
    public void Two_executors_on_one_sweep_never_run_the_same_run()
    {
        // A live lock (this test process holds it) keeps run-one away from the run; the run stays queued for later.
        string directory = sweep.Sub("locked");
        var (definition, metrics) = SweepFile.Read(sweep.File);
        var plan = SweepPlan.Create("tiny", definition, point => SweepFile.ConfigOf(definition, point), metrics);
        plan.Save(directory);
        var run = plan.Runs[1];
        string hash = run.Hash;
        int index = run.Index;
        using var held = RunLock.TryAcquire(Path.Combine(directory, "state", hash + ".lock"));
        Assert.NotNull(held);
        var one = Cli.Run("sweep", "run-one", directory, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, one.Code);
        Assert.Contains("another executor holds the lock", one.Output);
        Assert.False(File.Exists(Path.Combine(directory, "runs", hash, "result.json")));
        Assert.Contains("1 running", Cli.Run("sweep", "status", directory).Output);
    }

    [Fact]
    public void Selection_runs_the_best_tuning_setting_on_fresh_seeds_and_reports_only_those()
    {
        string file = sweep.Sub("select.yaml"), directory = sweep.Sub("select");
        File.WriteAllText(file, """
            scenario: permuted-mnist:train-per-task=500,test-size=200,batch-size=16
            tasks: 2
            steps: 20
            model: mlp:16
            probe: none
            method: finetune
            grid:
              optimizer.lr: [1e-2, 1e-5]
            select: {metric: online_accuracy, mode: max, tuning_seeds: [0], final_seeds: [5], by: method}
            """);
        var result = Cli.Run("sweep", file, "--out", directory, "--parallel", "2");
        Assert.True(result.Code == 0, result.Error + result.Output);

        // The tuning runs' own online accuracies decide, read here from their result.json files.
        var runs = Directory.GetDirectories(Path.Combine(directory, "runs")).Select(d => (
            Config: JsonNode.Parse(File.ReadAllText(Path.Combine(d, "config.json")))!,
            Result: JsonNode.Parse(File.ReadAllText(Path.Combine(d, "result.json")))!)).ToList();
        Assert.Equal(3, runs.Count);
        var tuning = runs.Where(r => r.Config["seed"]!.GetValue<ulong>() == 0).ToList();
        var best = tuning.MaxBy(r => r.Result["summary"]!["total_online_accuracy"]!.GetValue<double>());
        var final = runs.Single(r => r.Config["seed"]!.GetValue<ulong>() == 5);
        Assert.Equal(best.Config["optimizer"]!.GetValue<string>(), final.Config["optimizer"]!.GetValue<string>());

        var table = JsonNode.Parse(Cli.Run("sweep", "table", directory, "--format", "json").Output)!["rows"]!.AsArray();
        Assert.Equal([5UL], table.Single()!["seeds"]!.AsArray().Select(s => s!.GetValue<ulong>()));
        Assert.Contains("selection: best online_accuracy (max)", result.Output);
    }

    // The children die with their parent, but not necessarily before it is reaped: wait until every lock's holder is gone.
    private static void WaitForLockHolders(string directory)
    {
        string state = Path.Combine(directory, "state");
        if (!Directory.Exists(state)) return;
        foreach (string file in Directory.GetFiles(state, "*.lock"))
        {
            if (RunLock.Holder(file) is not { } holder) continue;
            try
            {
                using var child = Process.GetProcessById(holder.Pid);
                child.WaitForExit(TimeSpan.FromSeconds(30));
            }
            catch (ArgumentException) { }
        }
    }

    private static bool Midway(string directory)
    {
        string runs = Path.Combine(directory, "runs");
        if (!Directory.Exists(runs)) return false;
        var dirs = Directory.GetDirectories(runs);
        return dirs.Any(d => File.Exists(Path.Combine(d, "result.json"))) && dirs.Any(d => !File.Exists(Path.Combine(d, "result.json")) && File.Exists(Path.Combine(d, "checkpoint.safetensors")));
    }
}
