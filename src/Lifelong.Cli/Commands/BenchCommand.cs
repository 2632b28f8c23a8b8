using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Lifelong.Cli.Bench;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong bench [--json] [--seconds S] [--only NAME]</c>: engine throughput on the fixed workloads of
/// <c>../shared/bench/torch_reference.py</c>, measured the way that script measures them (5 warm-up steps, then as many
/// steps as fit in S seconds).</summary>
public sealed class BenchCommand : ICommand
{
    private const string Usage = "usage: lifelong bench [--json] [--seconds S] [--only NAME]\n" +
        "Times one training step (forward, backward, update) of each fixed workload, or one multiply for gemm-*.\n" +
        "--json prints one object per line: {\"workload\": NAME, \"steps_per_s\": X, ...} (+ \"gflops\" for gemm).";

    /// <inheritdoc/>
    public string Name => "bench";

    /// <inheritdoc/>
    public string Summary => "engine throughput on fixed workloads (the same as the PyTorch reference script)";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        bool json = false;
        double seconds = 3;
        string? only = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--json": json = true; break;
                case "--seconds" when i + 1 < args.Count && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds > 0: i++; break;
                case "--only" when i + 1 < args.Count: only = args[++i]; break;
                case "--seconds":
                    error.WriteLine($"lifelong bench: --seconds {(i + 1 < args.Count ? args[i + 1] : "")}: expected a positive number of seconds per workload, e.g. --seconds 3.");
                    return ExitCode.Usage;
                case "--help" or "-h": output.WriteLine(Usage); return ExitCode.Ok;
                default:
                    error.WriteLine($"lifelong bench: unknown or malformed argument '{args[i]}'.{Lifelong.Catalog.Spelling.Suggest(args[i], ["--json", "--seconds", "--only"])}\n{Usage}");
                    return ExitCode.Usage;
            }
        }
        var workloads = BenchWorkloads.All().Where(w => only is null || w.Name == only).ToList();
        if (workloads.Count == 0)
        {
            error.WriteLine($"lifelong bench: unknown workload '{only}'.{Lifelong.Catalog.Spelling.Suggest(only!, BenchWorkloads.All().Select(w => w.Name))} Valid workloads: {string.Join(", ", BenchWorkloads.All().Select(w => w.Name))}.");
            return ExitCode.Usage;
        }
        if (!json) output.WriteLine($"{"workload",-20} {"steps/s",12} {"GFLOP/s",10}");
        foreach (var (_, build) in workloads)
        {
            var workload = build();
            for (int i = 0; i < 5; i++) workload.Step();
            long steps = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                workload.Step();
                steps++;
            }
            double perSecond = steps / clock.Elapsed.TotalSeconds;
            double? gflops = workload.Flops * perSecond / 1e9;
            if (json)
            {
                var record = new Dictionary<string, object> { ["workload"] = workload.Name, ["steps_per_s"] = perSecond, ["engine"] = "lifelong", ["threads"] = Environment.ProcessorCount };
                if (gflops is { } g) record["gflops"] = g;
                output.WriteLine(JsonSerializer.Serialize(record));
            }
            else output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload.Name,-20} {perSecond,12:F1} {(gflops is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : ""),10}"));
        }
        return ExitCode.Ok;
    }
}
