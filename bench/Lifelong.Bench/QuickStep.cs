using System.Diagnostics;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Bench;

/// <summary>A Stopwatch measurement of MLP 784-100-100-10 training steps at batch 16 (SGD 0.01 as <c>lifelong bench</c>,
/// and Adam 1e-3 as the L2 Init protocol), for iterating on the engine; BenchmarkDotNet is the reference.</summary>
/// <remarks>
/// Steps run in short rounds of 25; the best round is reported beside the median because on a shared, loaded machine
/// the best round is the one least disturbed by other processes, which is what a before/after comparison wants.
/// Uses the public API only, so the same file builds against an older engine for a same-sitting comparison. The 3 s
/// warm-up is for tiered compilation, which on a loaded machine takes seconds to reach optimized code; the first
/// optimizer's numbers are still the ones to distrust if the two optimizers disagree.
/// </remarks>
internal static class QuickStep
{
    public static void Run(double seconds, bool oneBatch = false)
    {
        foreach (string optimizerName in new[] { "sgd", "adam" })
        {
            var rng = new Rng(0);
            var model = new Mlp([784, 100, 100, 10], new Rng(1));
            // Cycling through 32 batches with random labels keeps the loss from collapsing to zero on one batch, where
            // subnormal gradients would time the FPU's slow path instead of the engine. `oneBatch` is the bench's setting.
            var batches = Enumerable.Range(0, oneBatch ? 1 : 32).Select(_ =>
            {
                var x = Tensor.Zeros(16, 784);
                rng.FillUniform(x.Span, 0, 1);
                return (X: x, Y: Enumerable.Range(0, 16).Select(_ => rng.NextInt(10)).ToArray());
            }).ToArray();
            int next = 0;
            Optimizer optimizer = optimizerName == "sgd" ? new Sgd(model.Parameters(), lr: 0.01) : new Adam(model.Parameters(), lr: 1e-3);
            float loss = 0;
            void Step()
            {
                optimizer.ZeroGrad();
                var (x, y) = batches[next++ % batches.Length];
                var l = F.CrossEntropy(model.Forward(x), y);
                l.Backward();
                optimizer.Step();
                loss = l.Item();
            }

            // Long enough for tiered compilation to reach its optimized code before timing starts.
            var warmUp = Stopwatch.StartNew();
            while (warmUp.Elapsed.TotalSeconds < 3.0) Step();
            const int perRound = 25;
            var rounds = new List<double>();
            long bytes = GC.GetTotalAllocatedBytes(precise: true);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var total = Stopwatch.StartNew();
            while (total.Elapsed.TotalSeconds < seconds)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < perRound; i++) Step();
                rounds.Add(perRound / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
            long steps = (long)rounds.Count * perRound;
            double allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)steps;
            rounds.Sort();
            Console.WriteLine($"mlp-100x2-b16 {optimizerName,-4}  best {rounds[^1],7:F0}  median {rounds[rounds.Count / 2],7:F0}  overall {steps / total.Elapsed.TotalSeconds,7:F0} steps/s  " +
                $"{allocated / 1024,6:F1} KB/step  GC per 1000 steps {1000.0 * (GC.CollectionCount(0) - gen0) / steps:F0}/{1000.0 * (GC.CollectionCount(1) - gen1) / steps:F0}/{1000.0 * (GC.CollectionCount(2) - gen2) / steps:F0}  loss {loss:F4}");
        }
    }
}
