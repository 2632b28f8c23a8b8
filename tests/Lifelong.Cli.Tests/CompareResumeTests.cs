using System.Diagnostics;

namespace Lifelong.Cli.Tests;

public class CompareResumeTests
{
    private static string[] SmallComparison(string root) =>
        [.. Cli.SmallRun(root), "--checkpoint-every", "7", "--compare", "finetune", "--compare", "l2init | optimizer=adam:lr=3e-3 | label=l2init-fast"];

    [Fact]
    public void A_comparison_killed_in_its_second_variant_resumes_to_the_same_results_bit_for_bit()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), killed = folder.Sub("killed");
        var reference = Cli.Run(SmallComparison(whole));
        Assert.True(reference.Code == 0, reference.Error);

        // Kill the process a little after the second variant's first checkpoint.
        using (var process = Cli.Start(SmallComparison(killed)))
        {
            string checkpoint = Path.Combine(killed, "l2init-fast", "checkpoint.safetensors");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(5);
            Thread.Sleep(new Random(7).Next(0, 40));
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.True(File.Exists(Path.Combine(killed, "finetune", "result.json")), "the first variant did not finish before the kill");
        Assert.False(File.Exists(Path.Combine(killed, "l2init-fast", "result.json")), "the comparison finished before it could be killed; the test proves nothing");

        var resumed = Cli.Run("run", "--resume", killed);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("already complete", resumed.Output);
        Assert.Contains("resuming from its checkpoint", resumed.Output);
        foreach (string variant in new[] { "finetune", "l2init-fast" })
        {
            Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, variant, "result.json")), Cli.ResultNumbers(Path.Combine(killed, variant, "result.json")));
            Assert.Equal(File.ReadAllText(Path.Combine(whole, variant, "metrics.jsonl")), File.ReadAllText(Path.Combine(killed, variant, "metrics.jsonl")));
        }
    }

    [Fact]
    public void A_variant_that_had_not_started_runs_on_resume()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), partial = folder.Sub("partial");
        Assert.Equal(0, Cli.Run(SmallComparison(whole)).Code);
        Assert.Equal(0, Cli.Run(SmallComparison(partial)).Code);
        Directory.Delete(Path.Combine(partial, "l2init-fast"), recursive: true);   // as if killed between the two variants

        var resumed = Cli.Run("run", "--resume", partial);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, "l2init-fast", "result.json")), Cli.ResultNumbers(Path.Combine(partial, "l2init-fast", "result.json")));
    }

    [Fact]
    public void A_new_comparison_into_the_root_of_an_existing_one_is_refused_with_the_resume_command()
    {
        using var folder = new Cli.TempFolder();
        string root = folder.Sub("root");
        Assert.Equal(0, Cli.Run(SmallComparison(root)).Code);
        var again = Cli.Run(SmallComparison(root));
        Assert.Equal(ExitCode.Usage, again.Code);
        Assert.Contains("already holds a comparison", again.Error);
        Assert.Contains("--resume", again.Error);
    }

    [Fact]
    public void A_corrupt_manifest_is_reported_with_its_path()
    {
        using var folder = new Cli.TempFolder();
        string root = folder.Sub("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "compare.json"), "{\"config\": 3");
        var result = Cli.Run("run", "--resume", root);
        Assert.Equal(ExitCode.Usage, result.Code);
        Assert.Contains("compare.json", result.Error);
        Assert.Contains("not a valid comparison manifest", result.Error);
    }

    [Fact]
    public void A_run_interrupted_before_its_first_checkpoint_starts_over_on_resume()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), early = folder.Sub("early");
        Assert.Equal(0, Cli.Run(Cli.SmallRun(whole)).Code);
        Assert.Equal(0, Cli.Run(Cli.SmallRun(early)).Code);
        // What a kill before the first checkpoint leaves: the config and the first lines of metrics.
        File.Delete(Path.Combine(early, "checkpoint.safetensors"));
        File.Delete(Path.Combine(early, "result.json"));
        File.WriteAllText(Path.Combine(early, "metrics.jsonl"), File.ReadLines(Path.Combine(early, "metrics.jsonl")).First() + "\n");

        var resumed = Cli.Run("run", "--resume", early);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("starting it over", resumed.Output);
        Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, "result.json")), Cli.ResultNumbers(Path.Combine(early, "result.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "metrics.jsonl")), File.ReadAllText(Path.Combine(early, "metrics.jsonl")));
    }
}
