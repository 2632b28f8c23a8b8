using System.Numerics;
using System.Numerics.Tensors;

namespace Lifelong.Tensors.Kernels;

/// <summary>Elementwise passes over large spans, cut into contiguous chunks that <see cref="GemmThreads"/> runs on the
/// engine's threads: ReLU forward and backward, and x·y + addend (the SGD update).</summary>
/// <remarks>
/// On one thread these passes are a few per cent of a training step (the SGD update of 1.8 M weights is 2 % of an
/// <c>mlp-1000x2-b256</c> step, ReLU 4 % of a <c>cnn-b64</c> one); on two, a pass the second core sits out costs twice
/// that share of the wall clock, and libtorch splits such passes too (above 32,768 elements). Every element is computed
/// by the same code whichever chunk holds it, and chunks start at multiples of 64 elements, so a vector loop sees the
/// same alignment as the whole pass: the bits never depend on the split.
/// </remarks>
internal static unsafe class ParallelElementwise
{
    /// <summary>Below this many elements per part a pass stays on one thread. Measured at two threads on the 2-core EPYC,
    /// each split pass against the one-piece pass in the same process: ReLU on 131 K floats 1.03× (break-even: it is
    /// mostly writing a fresh output), on 1.6 M 1.39×; the SGD update on 200 K floats 1.50×, on 1 M 1.57×.</summary>
    internal const int MinPerPart = 64 * 1024;

    private const int Alignment = 64;

    /// <summary>How many parts a pass over <paramref name="length"/> elements is cut into.</summary>
    internal static int Parts(int length) => length < 2 * MinPerPart ? 1 : Math.Min(length / MinPerPart, EngineInfo.Threads);

    /// <summary>y = max(x, 0), as <c>TensorPrimitives.Max(x, 0f, y)</c>.</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y, int parts = 0)
    {
        CheckLengths(x.Length, x.Length, y.Length);
        parts = parts > 0 ? parts : Parts(x.Length);
        if (parts == 1)
        {
            TensorPrimitives.Max(x, 0f, y);
            return;
        }
        fixed (float* px = x, py = y) GemmThreads.Run(parts, new ReluJob(px, py, x.Length, parts));
    }

    /// <summary>dx = dy ⊙ 1[x &gt; 0]: dy·1 or dy·0, so −0 where a negative dy is masked, as the composite product.</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int parts = 0)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        parts = parts > 0 ? parts : Parts(x.Length);
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            if (parts == 1) ReluBackward(px, pdy, pdx, x.Length);
            else GemmThreads.Run(parts, new ReluBackwardJob(px, pdy, pdx, x.Length, parts));
        }
    }

    /// <summary>destination = x·y + addend, as <c>TensorPrimitives.MultiplyAdd</c>
    /// (destination may be addend itself: each element is read before it is written, in the same place).</summary>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float y, ReadOnlySpan<float> addend, Span<float> destination, int parts = 0)
    {
        CheckLengths(x.Length, addend.Length, destination.Length);
        parts = parts > 0 ? parts : Parts(x.Length);
        if (parts == 1)
        {
            TensorPrimitives.MultiplyAdd(x, y, addend, destination);
            return;
        }
        fixed (float* px = x, pa = addend, pd = destination) GemmThreads.Run(parts, new MultiplyAddJob(px, y, pa, pd, x.Length, parts));
    }

    private static void ReluBackward(float* x, float* dy, float* dx, int length)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var mask = Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(x + i), Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
                Vector.Store(Vector.Load(dy + i) * mask, dx + i);
            }
        }
        for (; i < length; i++) dx[i] = dy[i] * (x[i] > 0f ? 1f : 0f);
    }

    /// <summary>The first element of part <paramref name="part"/>: an equal share, rounded down to a multiple of 64.</summary>
    private static int Start(int length, int part, int parts) =>
        part == parts ? length : (int)((long)length * part / parts) & ~(Alignment - 1);

    private static void CheckLengths(int x, int other, int destination)
    {
        if (other != x) throw new ArgumentException($"Elementwise pass over {x} elements was given a second input of {other}.");
        if (destination < x) throw new ArgumentException($"Elementwise pass over {x} elements was given a destination of {destination}.");
    }

    private readonly struct ReluJob(float* x, float* y, int length, int parts) : IPartitionedJob
    {
        public void Run(int part)
        {
            int start = Start(length, part, parts), end = Start(length, part + 1, parts);
            TensorPrimitives.Max(new ReadOnlySpan<float>(x + start, end - start), 0f, new Span<float>(y + start, end - start));
        }
    }

    private readonly struct ReluBackwardJob(float* x, float* dy, float* dx, int length, int parts) : IPartitionedJob
    {
        public void Run(int part)
        {
            int start = Start(length, part, parts), end = Start(length, part + 1, parts);
            ReluBackward(x + start, dy + start, dx + start, end - start);
        }
    }

    private readonly struct MultiplyAddJob(float* x, float y, float* addend, float* destination, int length, int parts) : IPartitionedJob
    {
        public void Run(int part)
        {
            int start = Start(length, part, parts), end = Start(length, part + 1, parts);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(x + start, end - start), y,
                new ReadOnlySpan<float>(addend + start, end - start), new Span<float>(destination + start, end - start));
        }
    }
}
