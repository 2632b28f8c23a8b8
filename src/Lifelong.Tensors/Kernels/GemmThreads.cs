using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Lifelong.Tensors.Kernels;

/// <summary>Dedicated GEMM worker threads that spin briefly between calls, so a parallel multiply starts in microseconds.</summary>
/// <remarks>
/// A product of 128×784×256 takes about 250 µs on two cores; waking a sleeping thread-pool thread for
/// <see cref="Parallel.For(int, int, Action{int})"/> took a noticeable slice of that. Workers here spin for
/// <see cref="SpinWindow"/> after each job (training issues GEMMs back to back), then sleep on a semaphore.
/// <para>
/// The parts of a job are fixed by the caller; who runs which part is not: the caller and the workers claim
/// parts from a shared counter, so a worker that is descheduled (another process on the core) or still asleep
/// does not hold the caller up, because the caller takes the part itself. Parts write disjoint outputs and each
/// is computed the same way wherever it runs, so results never depend on the claiming.
/// </para>
/// <para>
/// The counter holds the job's generation in its high 32 bits and the next part in its low 32. A claim is a
/// compare-and-swap on both, so a worker that wakes late can never claim a part of a job that has moved on: the
/// caller closes the counter before it publishes the next job, and only reopens it once the job is in place.
/// </para>
/// </remarks>
internal static class GemmThreads
{
    private static readonly TimeSpan SpinWindow = TimeSpan.FromMicroseconds(200);
    private const int Closed = int.MaxValue;

    private static readonly Lock s_gate = new();
    private static readonly Worker[] s_workers = CreateWorkers(Math.Min(Environment.ProcessorCount, Gemm.MaxThreads) - 1);

    // The job being run: written while the counter is closed, read only after a successful claim.
    private static Action<int>? s_runPart;
    private static int s_parts, s_done;
    private static long s_claim = Closed;
    private static Exception? s_failure;

    /// <summary>Runs job.Run(0 … parts − 1), spread over the caller and idle workers; returns when all are done.</summary>
    /// <remarks>Generic over a struct job so that a call allocates nothing: the job sits in a static field per job type.</remarks>
    public static void Run<TJob>(int parts, in TJob job) where TJob : struct, IPartitionedJob
    {
        if (parts <= 1 || s_workers.Length == 0 || !s_gate.TryEnter())
        {
            for (int p = 0; p < parts; p++) job.Run(p);
            return;
        }
        try
        {
            long generation = (Volatile.Read(ref s_claim) >> 32) + 1;
            Volatile.Write(ref s_claim, (generation << 32) | Closed);
            Published<TJob>.Job = job;
            s_runPart = Published<TJob>.RunPart;
            s_parts = parts;
            s_done = 0;
            s_failure = null;
            Interlocked.Exchange(ref s_claim, generation << 32);
            for (int w = 0; w < Math.Min(parts - 1, s_workers.Length); w++) s_workers[w].Wake();

            RunClaimedParts();
            var spin = new SpinWait();
            while (Volatile.Read(ref s_done) < parts) spin.SpinOnce(sleep1Threshold: -1);

            Volatile.Write(ref s_claim, (generation << 32) | Closed);
            Published<TJob>.Job = default;
            if (s_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            s_gate.Exit();
        }
    }

    /// <summary>Claims and runs parts of the current job until none is left; returns whether it ran any.</summary>
    private static bool RunClaimedParts()
    {
        bool ranAny = false;
        while (true)
        {
            long claim = Volatile.Read(ref s_claim);
            int part = (int)claim;
            if (part >= Volatile.Read(ref s_parts)) return ranAny;
            if (Interlocked.CompareExchange(ref s_claim, claim + 1, claim) != claim) continue;
            try
            {
                s_runPart!(part);
            }
            catch (Exception exception)
            {
                s_failure = exception;
            }
            Interlocked.Increment(ref s_done);
            ranAny = true;
        }
    }

    private static bool HasOpenPart => (int)Volatile.Read(ref s_claim) < Volatile.Read(ref s_parts);

    private static Worker[] CreateWorkers(int count)
    {
        var workers = new Worker[Math.Max(count, 0)];
        for (int w = 0; w < workers.Length; w++) workers[w] = new Worker(w + 1);
        return workers;
    }

    private static class Published<TJob> where TJob : struct, IPartitionedJob
    {
        public static TJob Job;

        public static readonly Action<int> RunPart = part => Job.Run(part);
    }

    private sealed class Worker
    {
        private const int Awake = 0, Sleeping = 1;
        private readonly SemaphoreSlim _wake = new(0);
        private int _state = Awake;

        public Worker(int index) => new Thread(Loop) { IsBackground = true, Name = $"Lifelong GEMM worker {index}" }.Start();

        public void Wake()
        {
            if (Interlocked.Exchange(ref _state, Awake) == Sleeping) _wake.Release();
        }

        private void Loop()
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (true)
            {
                if (RunClaimedParts())
                {
                    idleSince = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(idleSince) < SpinWindow)
                {
                    Thread.SpinWait(20);
                }
                else if (Interlocked.CompareExchange(ref _state, Sleeping, Awake) == Awake)
                {
                    // Re-check after announcing sleep: a job opened just before it would otherwise send no wake-up.
                    // If Wake() already swapped the state back, it has released (or will release) the semaphore: take that.
                    if (!HasOpenPart || Interlocked.CompareExchange(ref _state, Awake, Sleeping) != Sleeping) _wake.Wait();
                    idleSince = Stopwatch.GetTimestamp();
                }
            }
        }
    }
}

/// <summary>A job cut into numbered parts that write disjoint outputs, so they may run in any order and on any thread.</summary>
internal interface IPartitionedJob
{
    /// <summary>Runs part <paramref name="part"/>.</summary>
    void Run(int part);
}
