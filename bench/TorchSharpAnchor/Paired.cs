using System.Diagnostics;

namespace TorchSharpAnchor;

/// <summary>One workload timed on both engines in this one process: the medians of their block rates and of the per-pair
/// ratio ours / TorchSharp, with the ratio's quartiles.</summary>
internal sealed record PairedResult(string Workload, double OursStepsPerSecond, double TheirsStepsPerSecond,
    double Ratio, double RatioLow, double RatioHigh, int Pairs);

/// <summary>Times a workload on Lifelong's engine and on TorchSharp in alternating blocks of steps, in one process.</summary>
/// <remarks>
/// Why: on a shared virtual machine the speed of a core moves by ±25 % for seconds at a time (another tenant on the
/// sibling hyperthread, clock changes); a 1-thread GEMM on the 2-core EPYC ran at 77, 63 and 37 GFLOP/s in stretches of
/// a few hundred calls each. Separate processes run in different stretches, so a ratio of two processes' rates carries
/// that noise. Two blocks of about <c>blockSeconds</c> each, one per engine, back to back, see the same stretch; the
/// median of many such pairs' ratios is the steady figure. Pairs alternate which engine goes first, so neither always
/// runs on the caches (or the clock) the other left.
/// </remarks>
internal static class Paired
{
    public static PairedResult Measure(string workload, Action ours, Action theirs, double seconds, double warmup, double blockSeconds, double restSeconds)
    {
        Warm(ours, warmup);
        Warm(theirs, warmup);
        var oursRates = new List<double>();
        var theirsRates = new List<double>();
        var ratios = new List<double>();
        var clock = Stopwatch.StartNew();
        for (int pair = 0; pair < 3 || clock.Elapsed.TotalSeconds < seconds; pair++)
        {
            double oursRate, theirsRate;
            if (pair % 2 == 0)
            {
                oursRate = Block(ours, blockSeconds, restSeconds);
                theirsRate = Block(theirs, blockSeconds, restSeconds);
            }
            else
            {
                theirsRate = Block(theirs, blockSeconds, restSeconds);
                oursRate = Block(ours, blockSeconds, restSeconds);
            }
            oursRates.Add(oursRate);
            theirsRates.Add(theirsRate);
            ratios.Add(oursRate / theirsRate);
        }
        return new PairedResult(workload, Quantile(oursRates, 0.5), Quantile(theirsRates, 0.5),
            Quantile(ratios, 0.5), Quantile(ratios, 0.25), Quantile(ratios, 0.75), ratios.Count);
    }

    /// <summary>The warm-up of <c>lifelong bench</c>: at least 5 steps and at least <paramref name="seconds"/>.</summary>
    private static void Warm(Action step, double seconds)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 5 || clock.Elapsed.TotalSeconds < seconds; i++) step();
    }

    /// <summary>Steps per second over whole steps lasting at least <paramref name="blockSeconds"/> (at least one step),
    /// after a rest of <paramref name="restSeconds"/>.</summary>
    /// <remarks>The rest lets the other engine's worker threads stop spinning before this block starts. Both spin for a
    /// while after parallel work, waiting for more (ours for 200 µs; libtorch's OpenMP threads longer), and a spinning
    /// thread takes a core from the engine that runs next: at two threads, with no rest and 0.1 s blocks,
    /// <c>gemm-1024</c> read 0.95 and 0.96 of TorchSharp, with 0.5 s blocks 1.03, and with libtorch's threads told to
    /// sleep at once (<c>OMP_WAIT_POLICY=PASSIVE</c>) 1.04.</remarks>
    private static double Block(Action step, double blockSeconds, double restSeconds)
    {
        if (restSeconds > 0) Thread.Sleep(TimeSpan.FromSeconds(restSeconds));
        long steps = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            step();
            steps++;
        }
        while (clock.Elapsed.TotalSeconds < blockSeconds);
        return steps / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The q-quantile by linear interpolation between order statistics.</summary>
    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
