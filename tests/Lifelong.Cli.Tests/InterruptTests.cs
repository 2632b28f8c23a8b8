using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lifelong.Cli.Tests;

public partial class InterruptTests
{
    // Enough steps that the run cannot finish between its first checkpoint and the signal, even on a loaded machine.
    private const int Steps = 300;

    [Fact]
    public void Ctrl_C_says_how_to_resume_exits_130_and_the_resumed_run_matches_an_uninterrupted_one_bit_for_bit()
    {
        using var folder = new Cli.TempFolder();
        string whole = folder.Sub("whole"), interrupted = folder.Sub("interrupted");
        var reference = Cli.Run([.. Cli.SmallRun(whole, Steps), "--checkpoint-every", "7"]);
        Assert.True(reference.Code == 0, reference.Error);

        var error = new System.Text.StringBuilder();
        using (var process = Cli.Start([.. Cli.SmallRun(interrupted, Steps), "--checkpoint-every", "7"]))
        {
            process.ErrorDataReceived += (_, e) => { lock (error) error.AppendLine(e.Data); };
            string checkpoint = Path.Combine(interrupted, "checkpoint.safetensors");
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(5);
            Assert.Equal(0, Kill(process.Id, SigInt));
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the run did not stop on SIGINT");
            process.WaitForExit();   // drains the redirected streams
            Assert.Equal(130, process.ExitCode);
        }
        Assert.False(File.Exists(Path.Combine(interrupted, "result.json")), "the run finished before it could be interrupted; the test proves nothing");
        lock (error) Assert.Contains($"interrupted; continue with: lifelong run --resume {interrupted}", error.ToString(), StringComparison.Ordinal);

        var resumed = Cli.Run("run", "--resume", interrupted);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(Cli.ResultNumbers(Path.Combine(whole, "result.json")), Cli.ResultNumbers(Path.Combine(interrupted, "result.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "metrics.jsonl")), File.ReadAllText(Path.Combine(interrupted, "metrics.jsonl")));
    }

    private const int SigInt = 2;

    // The kill(2) system call itself: starting a `kill` process could take longer than the run has left.
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
