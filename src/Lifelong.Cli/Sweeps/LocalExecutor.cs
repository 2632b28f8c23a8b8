using System.Diagnostics;
using System.Globalization;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Sweeps;

/// <summary>Runs a sweep's runs on this machine: a pool of <c>lifelong sweep run-one</c> child processes, each given an
/// equal share of the cores (<c>DOTNET_PROCESSOR_COUNT</c>, which the engine's thread pool sizes itself by).</summary>
/// <param name="Parallel">Runs at once.</param>
/// <param name="Retries">Retries of a failing run.</param>
/// <param name="DataRoot">The dataset cache, when not the default.</param>
public sealed record LocalExecutor(int Parallel, int Retries, string? DataRoot)
{
    /// <summary>Runs <paramref name="indices"/> of the plan in <paramref name="directory"/>; prints a line as each ends.</summary>
    public void Run(string directory, SweepPlan plan, IReadOnlyList<int> indices, TextWriter output)
    {
        int threads = Math.Max(1, Environment.ProcessorCount / Parallel);
        Directory.CreateDirectory(Path.Combine(directory, "logs"));
        var queue = new Queue<int>(indices);
        var running = new List<(Task<int> Exit, int Index, Stopwatch Clock)>();
        int finished = 0;
        while (queue.Count > 0 || running.Count > 0)
        {
            while (queue.Count > 0 && running.Count < Parallel)
            {
                int index = queue.Dequeue();
                running.Add((Start(directory, plan.Runs[index], threads), index, Stopwatch.StartNew()));
            }
            int slot = Task.WaitAny([.. running.Select(r => (Task)r.Exit)]);
            var (exit, done, clock) = running[slot];
            running.RemoveAt(slot);
            var run = plan.Runs[done];
            string status = SweepRunState.StatusOf(directory, run);
            if (exit.Result != ExitCode.Ok && status == "queued") status = $"failed (exit {exit.Result}; see logs/{run.Hash}.log)";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{++finished}/{indices.Count}] {status,-8} {run.Hash}  {run.Label}  seed {run.Seed}  ({clock.Elapsed.TotalSeconds:F1} s)"));
        }
    }

    private Task<int> Start(string directory, SweepRun run, int threads)
    {
        var args = new List<string> { "sweep", "run-one", directory, run.Index.ToString(CultureInfo.InvariantCulture), "--retries", Retries.ToString(CultureInfo.InvariantCulture) };
        if (DataRoot is not null) args.AddRange(["--data", DataRoot]);
        var start = LifelongProcess.StartInfo(args);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = threads.ToString(CultureInfo.InvariantCulture);
        var log = new StreamWriter(Path.Combine(directory, "logs", run.Hash + ".log"), append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return Task.Run(() =>
        {
            process.WaitForExit();   // also waits for the redirected streams to drain
            int code = process.ExitCode;
            process.Dispose();
            lock (log) log.Dispose();
            return code;
        });
    }
}
