using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lifelong.Tensors.Kernels;

/// <summary>Index maps for pooling: pooling is then a differentiable <see cref="TensorMath.Take"/>.</summary>
internal static class PoolingKernel
{
    /// <summary>For each output (n, c, oh, ow), the flat input index of its window's first maximum; padding never wins.</summary>
    public static (int[] Indices, Shape Shape) ArgMaxIndices(ReadOnlySpan<float> x, Shape shape, Window2d w)
    {
        var outShape = new Shape(shape[0], shape[1], w.OutH(shape[2]), w.OutW(shape[3]));
        var indices = new int[outShape.Size];
        MaxWithArgMax(x, new float[outShape.Size], indices, shape, w);
        return (indices, outShape);
    }

    /// <summary>maxima (N, C, Ho, Wo) = each window's maximum and indices = the flat input index of its first maximum, in one pass.</summary>
    public static unsafe void MaxWithArgMax(ReadOnlySpan<float> x, Span<float> maxima, Span<int> indices, Shape shape, Window2d w)
    {
        int n = shape[0], c = shape[1], h = shape[2], wd = shape[3];
        int oh = w.OutH(h), ow = w.OutW(wd);
        if (w is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 })
        {
            if (indices.Length != maxima.Length || maxima.Length != n * c * (h / 2) * (wd / 2) || x.Length != n * c * h * wd)
                throw new ArgumentException($"MaxWithArgMax: sizes {x.Length}, {maxima.Length}, {indices.Length} do not fit {shape} pooled 2×2.");
            fixed (float* px = x, pm = maxima)
            fixed (int* pi = indices)
            {
                int parts = Parts(n * c, (h / 2) * (wd / 2));
                GemmThreads.Run(parts, new ForwardJob(px, pm, pi, n * c, h, wd, parts));
            }
            return;
        }
        int at = 0;
        for (int plane = 0; plane < n * c; plane++)
        {
            int planeOffset = plane * h * wd;
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                {
                    int best = -1;
                    float bestValue = float.NegativeInfinity;
                    for (int i = 0; i < w.KernelH; i++)
                    {
                        int iy = y * w.StrideH - w.PadH + i;
                        if ((uint)iy >= (uint)h) continue;
                        for (int j = 0; j < w.KernelW; j++)
                        {
                            int ix = xo * w.StrideW - w.PadW + j;
                            if ((uint)ix >= (uint)wd) continue;
                            int flat = planeOffset + iy * wd + ix;
                            if (best < 0 || x[flat] > bestValue || float.IsNaN(x[flat])) (best, bestValue) = (flat, x[flat]);
                        }
                    }
                    maxima[at] = bestValue;
                    indices[at++] = best;
                }
        }
    }

    /// <summary>The 2×2, stride-2 unpadded case of <see cref="MaxWithArgMax"/> (every CNN here pools so): the same first
    /// maximum in row-major window order, a NaN winning as there, four windows at a time without branches.</summary>
    /// <remarks>The general loop's data-dependent branches mispredict on every other window of real activations; a
    /// branch-free select over four windows ran 5× faster on 64×32×28×28 (3.4 against 16.7 ms, loaded machine).</remarks>
    private static unsafe void MaxWithArgMax2x2(float* px, float* pm, int* pi, int firstPlane, int endPlane, int h, int wd)
    {
        int oh = h / 2, ow = wd / 2, vectorWindows = Sse.IsSupported ? ow / 4 * 4 : 0;
        int at = firstPlane * oh * ow;
        for (int plane = firstPlane; plane < endPlane; plane++)
            for (int y = 0; y < oh; y++)
            {
                int top = plane * h * wd + 2 * y * wd;
                float* row0 = px + top, row1 = row0 + wd;
                int xo = 0;
                for (; xo < vectorWindows; xo += 4, at += 4)
                {
                    // Windows xo … xo+3 in row-major order a, b (top row), c, d (bottom row), each 4 lanes.
                    Vector128<float> top0 = Vector128.Load(row0 + 2 * xo), top1 = Vector128.Load(row0 + 2 * xo + 4);
                    Vector128<float> bottom0 = Vector128.Load(row1 + 2 * xo), bottom1 = Vector128.Load(row1 + 2 * xo + 4);
                    var best = Sse.Shuffle(top0, top1, 0b10_00_10_00);
                    var offset = Vector128<int>.Zero;
                    Consider(Sse.Shuffle(top0, top1, 0b11_01_11_01), 1, ref best, ref offset);
                    Consider(Sse.Shuffle(bottom0, bottom1, 0b10_00_10_00), wd, ref best, ref offset);
                    Consider(Sse.Shuffle(bottom0, bottom1, 0b11_01_11_01), wd + 1, ref best, ref offset);
                    best.Store(pm + at);
                    (offset + Vector128.Create(top + 2 * xo) + Vector128.Create(0, 2, 4, 6)).Store(pi + at);
                }
                for (; xo < ow; xo++, at++)
                {
                    int first = top + 2 * xo, best = first;
                    float bestValue = px[first];
                    Consider(px, first + 1, ref best, ref bestValue);
                    Consider(px, first + wd, ref best, ref bestValue);
                    Consider(px, first + wd + 1, ref best, ref bestValue);
                    pm[at] = bestValue;
                    pi[at] = best;
                }
            }
    }

    /// <summary>Where a later tap beats the best so far (greater, or NaN), take its value and its offset in the window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider(Vector128<float> tap, int tapOffset, ref Vector128<float> best, ref Vector128<int> offset)
    {
        var wins = Vector128.GreaterThan(tap, best) | ~Vector128.Equals(tap, tap);
        best = Vector128.ConditionalSelect(wins, tap, best);
        offset = Vector128.ConditionalSelect(wins.AsInt32(), Vector128.Create(tapOffset), offset);
    }

    /// <summary>dx (planes, h, w) of a 2×2 stride-2 max-pool in one pass: dy at each window's argmax, zero elsewhere.</summary>
    /// <remarks>Every element is written once (a row or column left over by an odd size is cleared), so dx needs no
    /// zeroing beforehand, unlike the scatter-add of the general case.</remarks>
    public static unsafe void MaxPool2x2Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx, int planes, int h, int wd)
    {
        int oh = h / 2, ow = wd / 2;
        if (dy.Length != planes * oh * ow || indices.Length != dy.Length || dx.Length != planes * h * wd)
            throw new ArgumentException($"MaxPool2x2Backward: sizes {dy.Length}, {indices.Length}, {dx.Length} do not fit {planes}×{h}×{wd}.");
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pi = indices)
        {
            int parts = Parts(planes, oh * ow);
            GemmThreads.Run(parts, new BackwardJob(pdy, pi, pdx, planes, h, wd, parts));
        }
    }

    /// <summary>Planes [firstPlane, endPlane) of <see cref="MaxPool2x2Backward"/>.</summary>
    /// <remarks>Four windows at a time where SSE exists: each window's gradient goes to the one of its four taps whose
    /// offset equals the argmax's, by compare and select, and the taps are interleaved back into the two rows. The scalar
    /// loop's four selects compiled to branches on where the maximum lies, which mispredicted on real activations (7.6 %
    /// of a 2-thread cnn-b64 step's CPU time); both write g or +0 to each element, so they give the same bits.</remarks>
    private static unsafe void MaxPool2x2BackwardPlanes(float* pdy, int* pi, float* pdx, int firstPlane, int endPlane, int h, int wd)
    {
        int oh = h / 2, ow = wd / 2, vectorWindows = Sse.IsSupported ? ow / 4 * 4 : 0;
        int at = firstPlane * oh * ow;
        for (int plane = firstPlane; plane < endPlane; plane++)
        {
            int planeOffset = plane * h * wd;
            for (int y = 0; y < oh; y++)
            {
                int top = planeOffset + 2 * y * wd;
                float* row0 = pdx + top, row1 = row0 + wd;
                int xo = 0;
                for (; xo < vectorWindows; xo += 4, at += 4)
                {
                    var g = Vector128.Load(pdy + at);
                    var offset = Vector128.Load(pi + at) - (Vector128.Create(top + 2 * xo) + Vector128.Create(0, 2, 4, 6));
                    var topLeft = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128<int>.Zero).AsSingle(), g, Vector128<float>.Zero);
                    var topRight = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(1)).AsSingle(), g, Vector128<float>.Zero);
                    var bottomLeft = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(wd)).AsSingle(), g, Vector128<float>.Zero);
                    var bottomRight = Vector128.ConditionalSelect(Vector128.Equals(offset, Vector128.Create(wd + 1)).AsSingle(), g, Vector128<float>.Zero);
                    Sse.UnpackLow(topLeft, topRight).Store(row0 + 2 * xo);
                    Sse.UnpackHigh(topLeft, topRight).Store(row0 + 2 * xo + 4);
                    Sse.UnpackLow(bottomLeft, bottomRight).Store(row1 + 2 * xo);
                    Sse.UnpackHigh(bottomLeft, bottomRight).Store(row1 + 2 * xo + 4);
                }
                for (; xo < ow; xo++, at++)
                {
                    int first = top + 2 * xo, argmax = pi[at];
                    float g = pdy[at];
                    pdx[first] = argmax == first ? g : 0f;
                    pdx[first + 1] = argmax == first + 1 ? g : 0f;
                    pdx[first + wd] = argmax == first + wd ? g : 0f;
                    pdx[first + wd + 1] = argmax == first + wd + 1 ? g : 0f;
                }
                if ((wd & 1) != 0) pdx[top + wd - 1] = pdx[top + 2 * wd - 1] = 0f;
            }
            if ((h & 1) != 0) new Span<float>(pdx + planeOffset + (h - 1) * wd, wd).Clear();
        }
    }

    /// <summary>Below this many windows a pooling pass stays on the calling thread: a second one would not pay for its wake-up.</summary>
    private const int ParallelWindows = 32 * 1024;

    /// <summary>How many contiguous ranges of planes a pass over <paramref name="planes"/> planes of <paramref name="windows"/>
    /// windows is cut into, each run by <see cref="GemmThreads"/> (which runs a single part on the caller). Every output
    /// element is written by exactly one plane's loop, the same way on any thread, so the split never changes a bit.</summary>
    private static int Parts(int planes, int windows) =>
        (long)planes * windows < ParallelWindows ? 1 : Math.Min(planes, Math.Min(Environment.ProcessorCount, Gemm.MaxThreads));

    private readonly unsafe struct ForwardJob(float* x, float* maxima, int* indices, int planes, int h, int wd, int parts) : IPartitionedJob
    {
        public void Run(int part) =>
            MaxWithArgMax2x2(x, maxima, indices, (int)((long)planes * part / parts), (int)((long)planes * (part + 1) / parts), h, wd);
    }

    private readonly unsafe struct BackwardJob(float* dy, int* indices, float* dx, int planes, int h, int wd, int parts) : IPartitionedJob
    {
        public void Run(int part) =>
            MaxPool2x2BackwardPlanes(dy, indices, dx, (int)((long)planes * part / parts), (int)((long)planes * (part + 1) / parts), h, wd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Consider(float* x, int at, ref int best, ref float bestValue)
    {
        float v = x[at];
        if (v > bestValue || float.IsNaN(v)) (best, bestValue) = (at, v);
    }

    /// <summary>For each output (n, c, oh, ow) and window offset, the flat input index, −1 for padding: shape (N, C, Ho, Wo, kh·kw).</summary>
    public static (int[] Indices, Shape Shape) WindowIndices(Shape shape, Window2d w)
    {
        int n = shape[0], c = shape[1], h = shape[2], wd = shape[3];
        int oh = w.OutH(h), ow = w.OutW(wd), kk = w.KernelH * w.KernelW;
        var indices = new int[n * c * oh * ow * kk];
        int at = 0;
        for (int plane = 0; plane < n * c; plane++)
            for (int y = 0; y < oh; y++)
                for (int xo = 0; xo < ow; xo++)
                    for (int i = 0; i < w.KernelH; i++)
                        for (int j = 0; j < w.KernelW; j++)
                        {
                            int iy = y * w.StrideH - w.PadH + i, ix = xo * w.StrideW - w.PadW + j;
                            indices[at++] = (uint)iy < (uint)h && (uint)ix < (uint)wd ? plane * h * wd + iy * wd + ix : -1;
                        }
        return (indices, new Shape(n, c, oh, ow, kk));
    }
}
