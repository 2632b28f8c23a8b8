using System.Diagnostics;

namespace Lifelong.Cli.Tests;

public class KillAndResumeTests
{
    [Fact]
    public void A_run_killed_with_SIGKILL_resumes_to_the_same_result_bit_for_bit()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), killed = folder.Sub("killed");
        var reference = Cli.Run([.. Cli.SmallRun(whole), "--checkpoint-every", "7"]);
        Assert.True(reference.Code == 0, reference.Error);

        // Kill the process a little after its first checkpoint: at some arbitrary point of training, evaluation or writing.
        using (var process = Cli.Start([.. Cli.SmallRun(killed), "--checkpoint-every", "7"]))
        {
            string checkpoint = Path.Combine(killed, "checkpoint.safetensors");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            Thread.Sleep(new Random(42).Next(0, 40));
            process.Kill(entireProcessTree: true);   // SIGKILL on Unix
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "result.json")), "the run finished before it could be killed; the test proves nothing");

        var resumed = Cli.Run("run", "--resume", killed);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, "result.json")), Cli.ResultNumbers(Path.Combine(killed, "result.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "metrics.jsonl")), File.ReadAllText(Path.Combine(killed, "metrics.jsonl")));
    }
}
