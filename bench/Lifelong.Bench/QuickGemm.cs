using System.Diagnostics;
using Lifelong.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Bench;

/// <summary>A Stopwatch measurement of GEMM GFLOP/s for iterating on the kernel; BenchmarkDotNet is the reference.</summary>
/// <remarks>Each shape: warm up, then the best of 5 rounds of ~0.4 s each, single thread and automatic threading,
/// for all four transpose combinations.</remarks>
internal static class QuickGemm
{
    public static void Run(string[] shapes, double seconds)
    {
        foreach (string text in shapes)
        {
            var shape = GemmShape.Parse(text);
            var rng = new Rng(0);
            float[] a = new float[shape.M * shape.K], b = new float[shape.K * shape.N], c = new float[shape.M * shape.N];
            rng.FillNormal(a, 0f, 1f);
            rng.FillNormal(b, 0f, 1f);
            foreach (var (transA, transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                foreach (int threads in new[] { 1, 0 })
                {
                    var options = new GemmOptions(Threads: threads);
                    void Once() => Gemm.Sgemm(options, transA, transB, shape.M, shape.N, shape.K, a, transA ? shape.M : shape.K, b, transB ? shape.K : shape.N, c, shape.N, accumulate: false);
                    double best = 0;
                    for (int round = 0; round < 6; round++)
                    {
                        int calls = 0;
                        var watch = Stopwatch.StartNew();
                        while (watch.Elapsed.TotalSeconds < seconds / 6) { Once(); calls++; }
                        if (round > 0) best = Math.Max(best, shape.Flops * calls / watch.Elapsed.TotalSeconds / 1e9);
                    }
                    Console.WriteLine($"{text,-16} {(transA ? "T" : "N")}{(transB ? "T" : "N")} threads={(threads == 0 ? "auto" : "1"),-4} {best,8:F1} GFLOP/s");
                }
            }
        }
    }
}
