using System.Diagnostics;

namespace Lifelong.Cli.Tests;

/// <summary>The slurm executor against a real Slurm: a single-node cluster on this machine (scripts/slurm-local.sh),
/// brought up for the test and taken down after it. Without Slurm the test fails, with the daemons' logs.</summary>
[Collection("sweep")]
public class SlurmSweepTests(SweepFixture sweep)
{
    [Fact]
    public void A_sweep_through_a_Slurm_job_array_gives_the_local_executors_results_bit_for_bit()
    {
        string script = Path.Combine(RepositoryRoot(), "scripts", "slurm-local.sh");
        string state = sweep.Sub("slurm-cluster");
        var (code, output) = Shell(script, "up", state);
        Assert.True(code == 0, $"could not bring up the local Slurm cluster (install slurm-wlm and munge; run as root):\n{output}\n{Shell(script, "logs", state).Output}");
        string conf = output.Trim().Split('\n')[^1].Trim();
        string? previous = Environment.GetEnvironmentVariable("SLURM_CONF");
        Environment.SetEnvironmentVariable("SLURM_CONF", conf);
        try
        {
            Assert.True(sweep.Result.Code == 0, sweep.Result.Error);
            string directory = sweep.Sub("slurm");
            var result = Cli.Run("sweep", sweep.File, "--out", directory, "--executor", "slurm", "--cpus-per-task", "1", "--max-concurrent", "2", "--mem", "1000");
            Assert.True(result.Code == 0, $"{result.Error}\n{result.Output}\n{Logs(directory)}\n{Shell(script, "logs", state).Output}");
            Assert.Contains("submitted job array", result.Output);
            Assert.Contains("#SBATCH --array=0-3%2", File.ReadAllText(Path.Combine(directory, "slurm", "array-0.sbatch")));
            Assert.Equal(SweepFixture.Results(sweep.Reference), SweepFixture.Results(directory));
            Assert.Contains("slurm (squeue):", Cli.Run("sweep", "status", directory).Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_CONF", previous);
            Shell(script, "down", state);
        }
    }

    private static string Logs(string directory)
    {
        string folder = Path.Combine(directory, "slurm");
        return Directory.Exists(folder) ? string.Join('\n', Directory.GetFiles(folder, "*.out").Select(f => $"== {f}\n{File.ReadAllText(f)}")) : "";
    }

    private static (int Code, string Output) Shell(string script, string verb, string state)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(verb);
        start.Environment["SLURM_LOCAL_DIR"] = state;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Lifelong.slnx"))) return directory.FullName;
        throw new InvalidOperationException("the repository root (Lifelong.slnx) is not above the test assembly.");
    }
}
