using System.Numerics.Tensors;

namespace Lifelong.Tensors.Kernels;

/// <summary>Shapes of one convolution: input (N, C, H, W), weight (O, C, kh, kw), output (N, O, Ho, Wo).</summary>
internal readonly record struct ConvGeometry(int N, int C, int H, int W, int O, Window2d Window)
{
    public static ConvGeometry Of(Shape input, Shape weight, Window2d window) => new(input[0], input[1], input[2], input[3], weight[0], window);

    public int OutH => Window.OutH(H);
    public int OutW => Window.OutW(W);

    /// <summary>Output positions per sample, Ho·Wo: the columns of one sample's unfolded image.</summary>
    public int Positions => OutH * OutW;

    /// <summary>Window entries per position, C·kh·kw: the rows of one sample's unfolded image.</summary>
    public int Taps => C * Window.KernelH * Window.KernelW;

    public int ImageSize => C * H * W;
    public Shape InputShape => new(N, C, H, W);
    public Shape OutputShape => new(N, O, OutH, OutW);
}

/// <summary>Convolution and its two adjoints as one GEMM per sample on an unfolded image held in a reused per-thread buffer.</summary>
/// <remarks>
/// Sample n's image is unfolded "tap-major": columns (C·kh·kw, Ho·Wo), row (c, i, j) holding the input pixel under tap
/// (i, j) of channel c at every output position. Then, with W as (O, C·kh·kw):
/// y[n] (O, Ho·Wo) = W · columns, so the output lands in NCHW order with no permuting copy;
/// dX[n] = fold(Wᵀ · dy[n]); dW = Σₙ dy[n] · columns[n]ᵀ.
/// Only one sample's columns exist per thread at a time (K·P floats, e.g. 225 KB for a 32-filter MAML block), instead of
/// the whole batch's im2col matrix.
/// <para>
/// Threads split the batch, not each product: a per-sample product (64×196×288 in the benchmark CNN) is too small to
/// share between cores without a handshake per sample, while whole samples need none. Each sample's GEMM runs on one
/// thread. The weight gradient sums per-sample products, so the batch is cut into a fixed number of chunks that depend
/// on N alone (never on the core count or on which thread claims which chunk); each chunk sums its samples in order
/// into its own partial, and the partials are added in chunk order: the result is bit-for-bit the same on any machine.
/// </para>
/// </remarks>
internal static unsafe class ConvKernel
{
    /// <summary>Below this many multiply-adds in the whole batch, waking a second thread costs more than it saves.</summary>
    private const long ParallelWork = 2 * 1024 * 1024;

    /// <summary>Chunks of the batch for the weight gradient's partial sums: a constant, so the summation order is too.</summary>
    private const int WeightChunks = 8;

    private static readonly GemmOptions OneThread = GemmOptions.Default with { Threads = 1 };

    [ThreadStatic] private static float[]? t_columns;

    private static Span<float> Columns(ConvGeometry g)
    {
        int size = g.Taps * g.Positions;
        if (t_columns is null || t_columns.Length < size) t_columns = new float[size];
        return t_columns.AsSpan(0, size);
    }

    /// <summary>y (N, O, Ho, Wo) = conv(x, weight) + bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, ConvGeometry g)
    {
        fixed (float* px = x, pw = weight, pb = bias, py = y)
            RunPerSample(g, new ForwardJob(px, pw, pb, bias.Length, py, g));
    }

    /// <summary>dx (N, C, H, W) = the adjoint of conv in its input, applied to dy (N, O, Ho, Wo).</summary>
    public static void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, ConvGeometry g)
    {
        fixed (float* pdy = dy, pw = weight, pdx = dx)
            RunPerSample(g, new BackwardInputJob(pdy, pw, pdx, g));
    }

    /// <summary>dw (O, C, kh, kw) = the adjoint of conv in its weight: Σₙ dy[n] · unfold(x[n])ᵀ.</summary>
    public static void BackwardWeight(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, ConvGeometry g)
    {
        int chunks = Math.Min(g.N, WeightChunks), size = g.O * g.Taps;
        if (chunks == 0)
        {
            dw.Clear();
            return;
        }
        // Chunk 0 sums straight into dw; the others into partials added afterwards, in chunk order.
        var partials = chunks > 1 ? System.Buffers.ArrayPool<float>.Shared.Rent((chunks - 1) * size) : [];
        try
        {
            fixed (float* px = x, pdy = dy, pdw = dw, pp = partials)
            {
                var job = new BackwardWeightJob(px, pdy, pdw, pp, chunks, g);
                if (IsParallel(g)) GemmThreads.Run(chunks, job);
                else for (int c = 0; c < chunks; c++) job.Run(c);
            }
            for (int c = 1; c < chunks; c++)
                System.Numerics.Tensors.TensorPrimitives.Add(dw, partials.AsSpan((c - 1) * size, size), dw);
        }
        finally
        {
            if (chunks > 1) System.Buffers.ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>db (O) = Σ_{n, h, w} dy[n, o, h, w], summed per sample in order: the bias gradient of a convolution.</summary>
    public static void BiasGradient(ReadOnlySpan<float> dy, Span<float> db, int n, int channels, int positions)
    {
        db.Clear();
        for (int s = 0; s < n; s++)
            for (int o = 0; o < channels; o++)
                db[o] += Reductions.Sum(dy.Slice((s * channels + o) * positions, positions));
    }

    private static bool IsParallel(ConvGeometry g) => (long)g.N * g.O * g.Positions * g.Taps >= ParallelWork;

    /// <summary>Runs one part per sample, spread over the GEMM workers when the batch is big enough to pay for them.</summary>
    private static void RunPerSample<TJob>(ConvGeometry g, TJob job) where TJob : struct, IPartitionedJob
    {
        if (IsParallel(g)) GemmThreads.Run(g.N, job);
        else for (int n = 0; n < g.N; n++) job.Run(n);
    }

    private readonly struct ForwardJob(float* x, float* weight, float* bias, int biasLength, float* y, ConvGeometry g) : IPartitionedJob
    {
        public void Run(int n)
        {
            int k = g.Taps, p = g.Positions, outputSize = g.O * p;
            var columns = Columns(g);
            Unfold(new ReadOnlySpan<float>(x + (long)n * g.ImageSize, g.ImageSize), columns, g);
            var yn = new Span<float>(y + (long)n * outputSize, outputSize);
            Gemm.Sgemm(OneThread, false, false, g.O, p, k, new ReadOnlySpan<float>(weight, g.O * k), k, columns, p, yn, p, accumulate: false);
            if (biasLength == 0) return;
            for (int o = 0; o < g.O; o++) TensorPrimitives.Add(yn.Slice(o * p, p), bias[o], yn.Slice(o * p, p));
        }
    }

    private readonly struct BackwardInputJob(float* dy, float* weight, float* dx, ConvGeometry g) : IPartitionedJob
    {
        public void Run(int n)
        {
            int k = g.Taps, p = g.Positions, outputSize = g.O * p;
            var columns = Columns(g);
            var dyn = new ReadOnlySpan<float>(dy + (long)n * outputSize, outputSize);
            Gemm.Sgemm(OneThread, true, false, k, p, g.O, new ReadOnlySpan<float>(weight, g.O * k), k, dyn, p, columns, p, accumulate: false);
            var image = new Span<float>(dx + (long)n * g.ImageSize, g.ImageSize);
            image.Clear();
            Fold(columns, image, g);
        }
    }

    private readonly struct BackwardWeightJob(float* x, float* dy, float* dw, float* partials, int chunks, ConvGeometry g) : IPartitionedJob
    {
        public void Run(int chunk)
        {
            int k = g.Taps, p = g.Positions, outputSize = g.O * p, size = g.O * k;
            int first = (int)((long)g.N * chunk / chunks), end = (int)((long)g.N * (chunk + 1) / chunks);
            var sum = new Span<float>(chunk == 0 ? dw : partials + (long)(chunk - 1) * size, size);
            var columns = Columns(g);
            for (int n = first; n < end; n++)
            {
                Unfold(new ReadOnlySpan<float>(x + (long)n * g.ImageSize, g.ImageSize), columns, g);
                var dyn = new ReadOnlySpan<float>(dy + (long)n * outputSize, outputSize);
                Gemm.Sgemm(OneThread, false, true, g.O, k, p, dyn, p, columns, p, sum, k, accumulate: n > first);
            }
        }
    }

    /// <summary>columns (C·kh·kw, Ho·Wo) ← one sample's image (C, H, W); zeros where a tap falls on padding.</summary>
    internal static void Unfold(ReadOnlySpan<float> image, Span<float> columns, ConvGeometry g)
    {
        var w = g.Window;
        int oh = g.OutH, ow = g.OutW, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int i = 0; i < w.KernelH; i++)
                for (int j = 0; j < w.KernelW; j++, row++)
                {
                    var (first, end) = InsideRange(j, w.StrideW, w.PadW, g.W, ow);
                    for (int y = 0; y < oh; y++)
                    {
                        var dst = columns.Slice((row * oh + y) * ow, ow);
                        int iy = y * w.StrideH - w.PadH + i;
                        if ((uint)iy >= (uint)g.H || first >= end)
                        {
                            dst.Clear();
                            continue;
                        }
                        dst[..first].Clear();
                        dst[end..].Clear();
                        var src = image.Slice((c * g.H + iy) * g.W);
                        int ix = first * w.StrideW - w.PadW + j;
                        if (w.StrideW == 1) src.Slice(ix, end - first).CopyTo(dst[first..end]);
                        else for (int x = first; x < end; x++, ix += w.StrideW) dst[x] = src[ix];
                    }
                }
    }

    /// <summary>image (C, H, W) += every column entry at its source pixel: the transpose of <see cref="Unfold"/>.</summary>
    internal static void Fold(ReadOnlySpan<float> columns, Span<float> image, ConvGeometry g)
    {
        var w = g.Window;
        int oh = g.OutH, ow = g.OutW, row = 0;
        for (int c = 0; c < g.C; c++)
            for (int i = 0; i < w.KernelH; i++)
                for (int j = 0; j < w.KernelW; j++, row++)
                {
                    var (first, end) = InsideRange(j, w.StrideW, w.PadW, g.W, ow);
                    if (first >= end) continue;
                    for (int y = 0; y < oh; y++)
                    {
                        int iy = y * w.StrideH - w.PadH + i;
                        if ((uint)iy >= (uint)g.H) continue;
                        var src = columns.Slice((row * oh + y) * ow, ow);
                        var dst = image.Slice((c * g.H + iy) * g.W);
                        int ix = first * w.StrideW - w.PadW + j;
                        if (w.StrideW == 1) TensorPrimitives.Add(dst.Slice(ix, end - first), src[first..end], dst.Slice(ix, end - first));
                        else for (int x = first; x < end; x++, ix += w.StrideW) dst[ix] += src[x];
                    }
                }
    }

    /// <summary>The output columns [first, end) whose tap j reads inside the image: 0 ≤ x·s − p + j &lt; width.</summary>
    private static (int First, int End) InsideRange(int j, int stride, int pad, int width, int outWidth)
    {
        int first = Math.Min(outWidth, Math.Max(0, CeilDiv(pad - j, stride)));
        int end = Math.Min(outWidth, CeilDiv(width + pad - j, stride));
        return (first, Math.Max(first, end));
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;
}
