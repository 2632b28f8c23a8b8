using System.Diagnostics;
using System.Globalization;
using System.Text;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Sweeps;

/// <summary>Runs a sweep's runs as one Slurm job array: a <c>sbatch</c> script written into <c>DIR/slurm/</c>, one array
/// task per run, each running <c>lifelong sweep run-one DIR $SLURM_ARRAY_TASK_ID</c> on the shared file system.</summary>
/// <param name="Retries">Retries of a failing run (inside its array task).</param>
/// <param name="DataRoot">The dataset cache the nodes read, when not their default.</param>
/// <param name="Partition">sbatch --partition.</param>
/// <param name="Time">sbatch --time (e.g. 02:00:00).</param>
/// <param name="CpusPerTask">sbatch --cpus-per-task; also each run's thread count.</param>
/// <param name="Memory">sbatch --mem (e.g. 4G).</param>
/// <param name="MaxConcurrent">The array's %K: at most this many tasks at once (none: the scheduler decides).</param>
/// <param name="Lifelong">The command that starts <c>lifelong</c> on the nodes (default: as this process was started).</param>
/// <param name="Wait">Whether to wait for the array to finish.</param>
public sealed record SlurmExecutor(int Retries, string? DataRoot, string? Partition, string? Time, int CpusPerTask, string? Memory, int? MaxConcurrent, string? Lifelong, bool Wait)
{
    /// <summary>Writes the script for <paramref name="indices"/>, submits it, and (with <see cref="Wait"/>) waits until
    /// the scheduler no longer lists the job.</summary>
    /// <exception cref="IOException">sbatch is missing or refuses the job; the message holds its output.</exception>
    public void Run(string directory, SweepPlan plan, IReadOnlyList<int> indices, TextWriter output)
    {
        string folder = Path.Combine(directory, "slurm");
        Directory.CreateDirectory(folder);
        int number = Directory.GetFiles(folder, "*.sbatch").Length;
        string script = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"array-{number}.sbatch"));
        File.WriteAllText(script, Script(directory, plan, indices));
        var (code, stdout, stderr) = Execute("sbatch", ["--parsable", script]);
        if (code != 0) throw new IOException($"sbatch {script} failed (exit {code}): {stderr.Trim()} {stdout.Trim()}");
        string job = stdout.Trim().Split(';')[0];
        File.AppendAllText(Path.Combine(folder, "jobs"), job + "\n");
        output.WriteLine($"submitted job array {job} ({indices.Count} runs): {script}");
        if (!Wait) return;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (_, listed, _) = Execute("squeue", ["-h", "-j", job, "-o", "%i %T"]);
            if (listed.Trim().Length == 0) break;
            Thread.Sleep(TimeSpan.FromSeconds(clock.Elapsed < TimeSpan.FromMinutes(1) ? 1 : 10));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"job array {job} finished ({clock.Elapsed.TotalSeconds:F0} s)"));
    }

    /// <summary>The sbatch script: the array, the resources, and one run of the sweep per task.</summary>
    public string Script(string directory, SweepPlan plan, IReadOnlyList<int> indices)
    {
        string absolute = Path.GetFullPath(directory);
        var command = Lifelong is not null ? Lifelong : string.Join(' ', LifelongProcess.Command().Select(Quote));
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine(CultureInfo.InvariantCulture, $"# lifelong sweep '{plan.Name}': {indices.Count} runs, one per array task (written by lifelong sweep --executor slurm).");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --job-name=lifelong-{plan.Name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --array={Ranges(indices)}{(MaxConcurrent is { } k ? $"%{k}" : "")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --output={Path.Combine(absolute, "slurm", "%A_%a.out")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={CpusPerTask}");
        if (Partition is not null) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --partition={Partition}");
        if (Time is not null) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --time={Time}");
        if (Memory is not null) text.AppendLine(CultureInfo.InvariantCulture, $"#SBATCH --mem={Memory}");
        text.AppendLine("set -euo pipefail");
        text.AppendLine("# Each run uses the CPUs Slurm gave its task, no more.");
        text.AppendLine("export DOTNET_PROCESSOR_COUNT=\"${SLURM_CPUS_PER_TASK:-1}\"");
        if (DataRoot is not null) text.AppendLine(CultureInfo.InvariantCulture, $"export LIFELONG_DATA={Quote(Path.GetFullPath(DataRoot))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"exec {command} sweep run-one {Quote(absolute)} \"$SLURM_ARRAY_TASK_ID\" --retries {Retries}");
        return text.ToString();
    }

    /// <summary>Indices as sbatch writes an array: <c>0-3,7,9-10</c>.</summary>
    public static string Ranges(IReadOnlyList<int> indices)
    {
        var sorted = indices.Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? sorted[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{sorted[i]}-{sorted[j]}"));
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    /// <summary>Runs a Slurm client command; exit code 127 with a message when it is not installed.</summary>
    public static (int Code, string Output, string Error) Execute(string program, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, "", $"{program} not found ({e.Message}); is Slurm installed here?");
        }
    }

    private static string Quote(string text) =>
        text.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or '+' or '=' or ':') ? text : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
