using System.Diagnostics;
using System.Globalization;

namespace Lifelong.Sweeps;

/// <summary>An exclusive claim on one run of a sweep, so two executors (two local pools, a pool and a Slurm array, two
/// array tasks) never train the same run at once: a lock file created with O_EXCL holding the holder's PID and host.</summary>
/// <remarks>
/// The holder touches the file every <see cref="Heartbeat"/>. A lock is stale, and is broken, when its holder is a process
/// of this host that no longer exists (a SIGKILLed executor), or when it has not been touched for <see cref="StaleAfter"/>
/// (a holder on another node that died: a job past its time limit, a lost node). Breaking is a rename to a unique name,
/// which only one contender can win; the winner then creates the lock anew with O_EXCL.
/// </remarks>
public sealed class RunLock : IDisposable
{
    /// <summary>How often a holder touches its lock file.</summary>
    public static TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an untouched lock of another host is trusted.</summary>
    public static TimeSpan StaleAfter { get; } = TimeSpan.FromMinutes(3);

    private readonly string _path;
    private readonly Timer _heartbeat;

    private RunLock(string path)
    {
        _path = path;
        _heartbeat = new Timer(_ => Touch(), null, Heartbeat, Heartbeat);
    }

    /// <summary>The lock file of the run named <paramref name="hash"/> in sweep directory <paramref name="directory"/>.</summary>
    public static string PathOf(string directory, string hash) => Path.Combine(directory, "state", hash + ".lock");

    /// <summary>Takes the lock at <paramref name="path"/>, breaking a stale one; null when a live holder has it.</summary>
    public static RunLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                using (var writer = new StreamWriter(stream))
                    writer.Write(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {Environment.MachineName} {DateTime.UtcNow:O}\n"));
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (Holder(path) is not { } holder || !holder.Stale) return null;
                string broken = $"{path}.stale-{Environment.ProcessId}-{Guid.NewGuid():N}";
                try { File.Move(path, broken); }
                catch (FileNotFoundException) { }
                File.Delete(broken);
            }
        }
        return null;
    }

    /// <summary>Who holds the lock at <paramref name="path"/> and whether the claim is stale; null when there is none.</summary>
    public static (int Pid, string Host, bool Stale)? Holder(string path)
    {
        string text;
        DateTime touched;
        try
        {
            text = File.ReadAllText(path);
            touched = File.GetLastWriteTimeUtc(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // A half-written lock (its creator was killed between create and write) is stale once it is old enough.
        if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
            return (0, "", DateTime.UtcNow - touched > StaleAfter);
        string host = parts[1];
        bool stale = host == Environment.MachineName ? !Alive(pid) : DateTime.UtcNow - touched > StaleAfter;
        return (pid, host, stale);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        _heartbeat.Dispose();
        try { File.Delete(_path); }
        catch (IOException) { }
    }

    private void Touch()
    {
        try { File.SetLastWriteTimeUtc(_path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool Alive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
