using System.Diagnostics;
using Lifelong.Sweeps;

namespace Lifelong.Tests.Sweeps;

public class RunLockTests
{
    [Fact]
    public void A_held_lock_keeps_others_out_until_it_is_released()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lifelong-lock-{Guid.NewGuid():N}", "run.lock");
        using (var first = RunLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(RunLock.TryAcquire(path));
            Assert.Equal(Environment.ProcessId, RunLock.Holder(path)!.Value.Pid);
            Assert.False(RunLock.Holder(path)!.Value.Stale);
        }
        Assert.Null(RunLock.Holder(path));
        using var second = RunLock.TryAcquire(path);
        Assert.NotNull(second);
    }

    [Fact]
    public void A_lock_left_by_a_dead_process_of_this_host_is_broken()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lifelong-lock-{Guid.NewGuid():N}", "run.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var exited = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        exited.StandardOutput.ReadToEnd();
        exited.WaitForExit();
        File.WriteAllText(path, $"{exited.Id} {Environment.MachineName} 2026-01-01T00:00:00Z\n");
        Assert.True(RunLock.Holder(path)!.Value.Stale);
        using var taken = RunLock.TryAcquire(path);
        Assert.NotNull(taken);
        Assert.Equal(Environment.ProcessId, RunLock.Holder(path)!.Value.Pid);
    }

    [Fact]
    public void Another_hosts_lock_is_trusted_while_fresh_and_broken_once_untouched_for_long()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lifelong-lock-{Guid.NewGuid():N}", "run.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "1234 some-other-node 2026-01-01T00:00:00Z\n");
        Assert.Null(RunLock.TryAcquire(path));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - RunLock.StaleAfter - TimeSpan.FromMinutes(1));
        using var taken = RunLock.TryAcquire(path);
        Assert.NotNull(taken);
    }
}
