using System.Runtime.CompilerServices;

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
    public static void MaxWithArgMax(ReadOnlySpan<float> x, Span<float> maxima, Span<int> indices, Shape shape, Window2d w)
    {
        int n = shape[0], c = shape[1], h = shape[2], wd = shape[3];
        int oh = w.OutH(h), ow = w.OutW(wd);
        if (w is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 })
        {
            MaxWithArgMax2x2(x, maxima, indices, n * c, h, wd);
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
    /// maximum in row-major window order, a NaN winning as there, but without the general loop's per-tap bounds tests.</summary>
    private static unsafe void MaxWithArgMax2x2(ReadOnlySpan<float> x, Span<float> maxima, Span<int> indices, int planes, int h, int wd)
    {
        int oh = h / 2, ow = wd / 2;
        fixed (float* px = x, pm = maxima)
        fixed (int* pi = indices)
        {
            int at = 0;
            for (int plane = 0; plane < planes; plane++)
                for (int y = 0; y < oh; y++)
                {
                    int top = plane * h * wd + 2 * y * wd;
                    for (int xo = 0; xo < ow; xo++, at++)
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
