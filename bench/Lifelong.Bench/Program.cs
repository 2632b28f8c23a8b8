using BenchmarkDotNet.Running;
using Lifelong.Bench;

// `--quick [shapes…]` is a Stopwatch run for iterating on kernels, `--step [seconds] [--one-batch]` one of MLP training steps;
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--quick")
{
    string[] shapes = args.Length > 1 ? args[1..] : ["1024x1024x1024", "128x784x256", "256x784x1000", "64x800x32"];
    QuickGemm.Run(shapes, seconds: 1.2);
    return;
}
if (args.Length > 0 && args[0] == "--step")
{
    QuickStep.Run(seconds: args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4, oneBatch: args.Contains("--one-batch"));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
