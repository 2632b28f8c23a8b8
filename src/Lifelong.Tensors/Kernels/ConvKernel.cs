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
/// dX[n] = fold(Wᵀ · dy[n]); dW = Σₙ dy[n] · columns[n]ᵀ, summed over n in order (deterministic).
/// Only one sample's columns exist at a time (K·P floats, e.g. 225 KB for a 32-filter MAML block), instead of the
/// whole batch's im2col matrix.
/// </remarks>
internal static class ConvKernel
{
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
        int k = g.Taps, p = g.Positions, outputSize = g.O * p;
        var columns = Columns(g);
        for (int n = 0; n < g.N; n++)
        {
            Unfold(x.Slice(n * g.ImageSize, g.ImageSize), columns, g);
            var yn = y.Slice(n * outputSize, outputSize);
            Gemm.Sgemm(false, false, g.O, p, k, weight, k, columns, p, yn, p, accumulate: false);
            if (bias.IsEmpty) continue;
            for (int o = 0; o < g.O; o++) TensorPrimitives.Add(yn.Slice(o * p, p), bias[o], yn.Slice(o * p, p));
        }
    }

    /// <summary>dx (N, C, H, W) = the adjoint of conv in its input, applied to dy (N, O, Ho, Wo).</summary>
    public static void BackwardInput(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, ConvGeometry g)
    {
        int k = g.Taps, p = g.Positions, outputSize = g.O * p;
        var columns = Columns(g);
        dx.Clear();
        for (int n = 0; n < g.N; n++)
        {
            Gemm.Sgemm(true, false, k, p, g.O, weight, k, dy.Slice(n * outputSize, outputSize), p, columns, p, accumulate: false);
            Fold(columns, dx.Slice(n * g.ImageSize, g.ImageSize), g);
        }
    }

    /// <summary>dw (O, C, kh, kw) = the adjoint of conv in its weight: Σₙ dy[n] · unfold(x[n])ᵀ.</summary>
    public static void BackwardWeight(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, ConvGeometry g)
    {
        int k = g.Taps, p = g.Positions, outputSize = g.O * p;
        var columns = Columns(g);
        if (g.N == 0) dw.Clear();
        for (int n = 0; n < g.N; n++)
        {
            Unfold(x.Slice(n * g.ImageSize, g.ImageSize), columns, g);
            Gemm.Sgemm(false, true, g.O, k, p, dy.Slice(n * outputSize, outputSize), p, columns, p, dw, k, accumulate: n > 0);
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
