using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TorchSharpAnchor;
using static TorchSharp.torch;

// The same workloads, method and output as `lifelong bench` (a warm-up of at least 5 steps and --warmup seconds, then as
// many steps as fit in --seconds),
// on TorchSharp, so the two print comparable lines. --threads N calls torch.set_num_threads(N).
// --paired times each workload on Lifelong's engine and on TorchSharp in this one process, in alternating blocks of
// --block seconds (each after a rest of --rest seconds), and prints the median ratio of the pairs (Paired.cs says why).
const string Usage = "usage: TorchSharpAnchor [--json] [--seconds S] [--warmup S] [--only NAME] [--threads N] [--paired [--block S] [--rest S]]";
bool json = false, paired = false;
double seconds = 3, warmup = 1, block = 0.1, rest = 0.02;
string? only = null;
int? threads = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--json": json = true; break;
        case "--seconds" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) && seconds > 0: i++; break;
        case "--warmup" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out warmup) && warmup >= 0: i++; break;
        case "--only" when i + 1 < args.Length: only = args[++i]; break;
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int n) && n > 0: threads = n; i++; break;
        case "--paired": paired = true; break;
        case "--block" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out block) && block > 0: i++; break;
        case "--rest" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out rest) && rest >= 0: i++; break;
        case "--help" or "-h": Console.WriteLine(Usage); return 0;
        default: Console.Error.WriteLine($"TorchSharpAnchor: unknown or malformed argument '{args[i]}'.\n{Usage}"); return 2;
    }
}
if (threads is { } t) set_num_threads(t);
string engine = $"torchsharp-{typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3)} (libtorch {__version__})";
var workloads = Workloads.All().Where(w => only is null || w.Name == only).ToList();
if (workloads.Count == 0)
{
    Console.Error.WriteLine($"TorchSharpAnchor: unknown workload '{only}'. Valid workloads: {string.Join(", ", Workloads.All().Select(w => w.Name))}.");
    return 2;
}
Console.Error.WriteLine($"{engine}, {get_num_threads()} intra-op thread(s)");
if (paired) return RunPaired();
if (!json) Console.WriteLine($"{"workload",-20} {"steps/s",12} {"GFLOP/s",10}");
foreach (var workload in workloads)
{
    var warming = Stopwatch.StartNew();
    for (int i = 0; i < 5 || warming.Elapsed.TotalSeconds < warmup; i++) workload.Step();
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
    double? gflops = workload.Flops * perSecond / 1e9;
    if (json)
    {
        var record = new Dictionary<string, object> { ["workload"] = workload.Name, ["steps_per_s"] = perSecond, ["engine"] = engine, ["threads"] = get_num_threads(),
            ["steps"] = steps, ["seconds"] = elapsed, ["cpu_seconds"] = cpu };
        if (gflops is { } g) record["gflops"] = g;
        Console.WriteLine(JsonSerializer.Serialize(record));
    }
    else Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{workload.Name,-20} {perSecond,12:F1} {(gflops is { } g ? g.ToString("F1", CultureInfo.InvariantCulture) : ""),10}"));
}
return 0;

// Both engines in one process: ours takes its thread count from the core count .NET sees, so --threads N needs
// DOTNET_PROCESSOR_COUNT=N for the two to run with the same number of threads.
int RunPaired()
{
    if (threads is not { } n || Lifelong.Tensors.EngineInfo.Threads != n)
    {
        Console.Error.WriteLine($"TorchSharpAnchor: --paired needs --threads N and DOTNET_PROCESSOR_COUNT=N, so that both engines run N threads (Lifelong sees {Lifelong.Tensors.EngineInfo.Threads}).");
        return 2;
    }
    Console.Error.WriteLine($"lifelong: {Lifelong.Tensors.EngineInfo.Describe()}");
    var ours = Lifelong.Cli.Bench.BenchWorkloads.All().ToDictionary(w => w.Name, w => w.Build);
    if (!json) Console.WriteLine($"{"workload",-20} {"ours steps/s",13} {"TorchSharp",11} {"ours/TorchSharp",16} {"quartiles",13} {"pairs",6}");
    foreach (var workload in workloads)
    {
        var result = Paired.Measure(workload.Name, ours[workload.Name]().Step, workload.Step, seconds, warmup, block, rest);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["workload"] = result.Workload, ["ours_steps_per_s"] = result.OursStepsPerSecond, ["torchsharp_steps_per_s"] = result.TheirsStepsPerSecond,
                ["ratio"] = result.Ratio, ["ratio_p25"] = result.RatioLow, ["ratio_p75"] = result.RatioHigh, ["pairs"] = result.Pairs,
                ["threads"] = n, ["isa"] = Lifelong.Tensors.EngineInfo.InstructionSet, ["engine"] = engine, ["block_seconds"] = block, ["rest_seconds"] = rest,
            }));
        }
        else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.Workload,-20} {result.OursStepsPerSecond,13:F1} {result.TheirsStepsPerSecond,11:F1} {result.Ratio,16:F3} {$"{result.RatioLow:F3}–{result.RatioHigh:F3}",13} {result.Pairs,6}"));
    }
    return 0;
}
