using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lifelong.Cli.Bench;
using Lifelong.Cli.Sweeps;
using Lifelong.Tensors;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong bench [--json] [--seconds S] [--warmup S] [--only NAME] [--threads N]</c>: engine throughput on the
/// fixed workloads of <c>../shared/bench/torch_reference.py</c>, measured the way that script measures them (warm-up
/// steps, then as many steps as fit in S seconds).</summary>
/// <remarks>
/// The script warms up for 5 steps; here the warm-up is at least 5 steps and at least <c>--warmup</c> seconds
/// (default 1), because the JIT's tier-up runs on a background thread: with one core (DOTNET_PROCESSOR_COUNT=1, the
/// per-core comparison) it shares that core with the workload, and a small workload's first second ran at a fraction of
/// its final speed.
/// <para>
/// The engine sizes its kernels' thread split by the processor count the runtime reports, which only
/// <c>DOTNET_PROCESSOR_COUNT</c> set before start-up changes; so <c>--threads N</c> runs the bench again in a child
/// process with that variable set to N and passes its output through. Every record names the instruction-set path and
/// thread count it ran with, and the process CPU time the timed steps took: on a shared machine, steps per CPU second
/// is far steadier than steps per wall second (at one thread, where no worker spins, it is the per-core speed).
/// </para>
/// </remarks>
public sealed class BenchCommand : ICommand
{
    private const string ChildVariable = "LIFELONG_BENCH_THREADS";
    private const string Usage = "usage: lifelong bench [--json] [--seconds S] [--warmup S] [--only NAME] [--threads N]\n" +
        "Times one training step (forward, backward, update) of each fixed workload, or one multiply for gemm-*.\n" +
        "--seconds S times each workload for S seconds (default 3) after a warm-up of at least 5 steps and --warmup S seconds (default 1).\n" +
        "--threads N runs the engine with N threads (DOTNET_PROCESSOR_COUNT=N in a child process); default: all cores.\n" +
        "--json prints one object per line: {\"workload\": NAME, \"steps_per_s\": X, \"isa\": PATH, \"threads\": N, ...} (+ \"gflops\" for gemm).";

    /// <inheritdoc/>
    public string Name => "bench";

    /// <inheritdoc/>
    public string Summary => "engine throughput on fixed workloads (the same as the PyTorch reference script)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        bool json = false;
        double seconds = 3, warmup = 1;
        string? only = null;
        int? threads = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--seconds" when i + 1 < args.Count && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds > 0: i++; break;
                case "--warmup" when i + 1 < args.Count && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out warmup) && warmup >= 0: i++; break;
                case "--only" when i + 1 < args.Count: only = args[++i]; break;
                case "--threads" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 1024: threads = n; i++; break;
                case "--seconds":
                    error.WriteLine($"lifelong bench: --seconds {(i + 1 < args.Count ? args[i + 1] : "")}: expected a positive number of seconds per workload, e.g. --seconds 3.");
                    return ExitCode.Usage;
                case "--warmup":
                    error.WriteLine($"lifelong bench: --warmup {(i + 1 < args.Count ? args[i + 1] : "")}: expected a number of warm-up seconds per workload, 0 or more, e.g. --warmup 1.");
                    return ExitCode.Usage;
                case "--threads":
                    error.WriteLine($"lifelong bench: --threads {(i + 1 < args.Count ? args[i + 1] : "")}: expected a whole number of engine threads from 1 to 1024, e.g. --threads 1.");
                    return ExitCode.Usage;
                case "--help" or "-h": output.WriteLine(Usage); return ExitCode.Ok;
                default:
                    error.WriteLine($"lifelong bench: unknown or malformed argument '{args[i]}'.{Lifelong.Catalog.Spelling.Suggest(args[i], ["--json", "--seconds", "--warmup", "--only", "--threads"])}\n{Usage}");
                    return ExitCode.Usage;
            }
        }
        var workloads = BenchWorkloads.All().Where(w => only is null || w.Name == only).ToList();
        if (workloads.Count == 0)
        {
            error.WriteLine($"lifelong bench: unknown workload '{only}'.{Lifelong.Catalog.Spelling.Suggest(only!, BenchWorkloads.All().Select(w => w.Name))} Valid workloads: {string.Join(", ", BenchWorkloads.All().Select(w => w.Name))}.");
            return ExitCode.Usage;
        }
        if (threads is { } wanted && wanted != Environment.ProcessorCount)
        {
            if (Environment.GetEnvironmentVariable(ChildVariable) is not null)
            {
                error.WriteLine($"lifelong bench: --threads {wanted}: the runtime reports {Environment.ProcessorCount} processors although DOTNET_PROCESSOR_COUNT={wanted} was set; this runtime does not honour it.");
                return ExitCode.Failure;
            }
            return RunChild(args, wanted, output, error);
        }

        if (!json)
        {
            output.WriteLine($"engine: {EngineInfo.Describe()}");
            output.WriteLine($"{"workload",-20} {"steps/s",12} {"GFLOP/s",10} {"steps/CPU s",12}");
        }
        foreach (var (_, build) in workloads)
        {
            var workload = build();
            var warming = Stopwatch.StartNew();
            int warmupSteps = 0;
            for (; warmupSteps < 5 || warming.Elapsed.TotalSeconds < warmup; warmupSteps++) workload.Step();
            double warmupSeconds = warming.Elapsed.TotalSeconds;
            long steps = 0;
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                workload.Step();
                steps++;
            }
            double elapsed = clock.Elapsed.TotalSeconds;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
            double perSecond = steps / elapsed;
            double perCpuSecond = cpu > 0 ? steps / cpu : double.NaN;
            double? gflops = workload.Flops * perSecond / 1e9;
            if (json)
            {
                var record = new Dictionary<string, object>
                {
                    ["workload"] = workload.Name,
                    ["steps_per_s"] = perSecond,
                    ["engine"] = "lifelong",
                    ["threads"] = EngineInfo.Threads,
                    ["isa"] = EngineInfo.InstructionSet,
                    ["fma"] = EngineInfo.FusedMultiplyAdd,
                    ["cpu"] = EngineInfo.CpuModel,
                    ["steps"] = steps,
                    ["seconds"] = elapsed,
                    ["cpu_seconds"] = cpu,
                    ["warmup_steps"] = warmupSteps,
                    ["warmup_seconds"] = warmupSeconds,
                };
                if (gflops is { } g) record["gflops"] = g;
                output.WriteLine(JsonSerializer.Serialize(record));
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{workload.Name,-20} {perSecond,12:F1} {(gflops is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : ""),10} {perCpuSecond,12:F1}"));
            }
        }
        return ExitCode.Ok;
    }

    /// <summary>Runs the same bench in a child process whose runtime reports <paramref name="threads"/> processors.</summary>
    private static int RunChild(IReadOnlyList<string> args, int threads, TextWriter output, TextWriter error)
    {
        var start = LifelongProcess.StartInfo(["bench", .. args]);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = threads.ToString(CultureInfo.InvariantCulture);
        start.Environment[ChildVariable] = threads.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("lifelong bench: could not start the child process.");
        var errors = process.StandardError.ReadToEndAsync();
        while (process.StandardOutput.ReadLine() is { } line) output.WriteLine(line);
        process.WaitForExit();
        error.Write(errors.Result);
        return process.ExitCode;
    }
}
