using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Lifelong.Tensors.Kernels;

/// <summary>Dedicated GEMM worker threads that spin briefly between calls, so a parallel multiply starts in microseconds.</summary>
/// <remarks>
/// A product of 128×784×256 takes about 250 µs on two cores; waking a sleeping thread-pool thread for
/// <see cref="Parallel.For(int, int, Action{int})"/> took a noticeable slice of that. Workers here spin for
/// <see cref="SpinWindow"/> after each job (training issues GEMMs back to back), then sleep on a semaphore.
/// Part p of a job always goes to participant p mod T, but that only decides where a part runs: parts never
/// share output, so results do not depend on it. If another caller holds the workers, the parts run inline.
/// </remarks>
internal static class GemmThreads
{
    private static readonly TimeSpan SpinWindow = TimeSpan.FromMicroseconds(200);

    private static readonly Lock s_gate = new();
    private static readonly Worker[] s_workers = CreateWorkers(Math.Min(Environment.ProcessorCount, Gemm.MaxThreads) - 1);

    // The job being run, published before the workers are signalled and read only after they see the signal.
    private static Action<int>? s_share;
    private static int s_parts, s_participants, s_pending;
    private static Exception? s_failure;

    /// <summary>Threads that can run parts at once: the workers and the caller.</summary>
    public static int Capacity => s_workers.Length + 1;

    /// <summary>Runs job.Run(0 … parts − 1), spread over the caller and the workers; returns when all are done.</summary>
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
            int participants = Math.Min(parts, Capacity);
            Published<TJob>.Job = job;
            s_share = Published<TJob>.Share;
            s_parts = parts;
            s_participants = participants;
            s_failure = null;
            Volatile.Write(ref s_pending, participants - 1);
            for (int w = 0; w < participants - 1; w++) s_workers[w].Signal();

            RunShare(0);
            var spin = new SpinWait();
            while (Volatile.Read(ref s_pending) > 0) spin.SpinOnce(sleep1Threshold: -1);

            Published<TJob>.Job = default;
            if (s_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            s_gate.Exit();
        }
    }

    private static void RunShare(int participant) => s_share!(participant);

    private static class Published<TJob> where TJob : struct, IPartitionedJob
    {
        public static TJob Job;

        public static readonly Action<int> Share = participant =>
        {
            for (int p = participant; p < s_parts; p += s_participants) Job.Run(p);
        };
    }

    private static Worker[] CreateWorkers(int count)
    {
        var workers = new Worker[Math.Max(count, 0)];
        for (int w = 0; w < workers.Length; w++) workers[w] = new Worker(w + 1);
        return workers;
    }

    private sealed class Worker
    {
        private const int Idle = 0, Working = 1, Sleeping = 2;
        private readonly SemaphoreSlim _wake = new(0);
        private readonly int _participant;
        private int _state = Idle;

        public Worker(int participant)
        {
            _participant = participant;
            new Thread(Loop) { IsBackground = true, Name = $"Lifelong GEMM worker {participant}" }.Start();
        }

        public void Signal()
        {
            if (Interlocked.Exchange(ref _state, Working) == Sleeping) _wake.Release();
        }

        private void Loop()
        {
            while (true)
            {
                long idleSince = Stopwatch.GetTimestamp();
                while (Volatile.Read(ref _state) != Working)
                {
                    if (Stopwatch.GetElapsedTime(idleSince) < SpinWindow) Thread.SpinWait(20);
                    else if (Interlocked.CompareExchange(ref _state, Sleeping, Idle) == Idle) _wake.Wait();
                }
                try
                {
                    RunShare(_participant);
                }
                catch (Exception exception)
                {
                    s_failure = exception;
                }
                Volatile.Write(ref _state, Idle);
                Interlocked.Decrement(ref s_pending);
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
