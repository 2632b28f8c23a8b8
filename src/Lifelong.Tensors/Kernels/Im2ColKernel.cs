namespace Lifelong.Tensors.Kernels;

/// <summary>The im2col unfold and its adjoint fold, for convolution as one GEMM.</summary>
internal static class Im2ColKernel
{
    /// <summary>columns (N·Ho·Wo, C·kh·kw) ← image (N, C, H, W).</summary>
    public static void Unfold(ReadOnlySpan<float> image, Span<float> columns, Shape shape, Window2d w)
    {
        int n = shape[0], c = shape[1], h = shape[2], wd = shape[3];
        int oh = w.OutH(h), ow = w.OutW(wd), k = c * w.KernelH * w.KernelW;
        for (int b = 0; b < n; b++)
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    var row = columns.Slice(((b * oh + y) * ow + x) * k, k);
                    int col = 0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int plane = (b * c + ch) * h * wd;
                        for (int i = 0; i < w.KernelH; i++)
                        {
                            int iy = y * w.StrideH - w.PadH + i;
                            bool rowInside = (uint)iy < (uint)h;
                            for (int j = 0; j < w.KernelW; j++, col++)
                            {
                                int ix = x * w.StrideW - w.PadW + j;
                                row[col] = rowInside && (uint)ix < (uint)wd ? image[plane + iy * wd + ix] : 0f;
                            }
                        }
                    }
                }
    }

    /// <summary>image (N, C, H, W) += every column entry at its source pixel (the transpose of <see cref="Unfold"/>).</summary>
    public static void Fold(ReadOnlySpan<float> columns, Span<float> image, Shape shape, Window2d w)
    {
        int n = shape[0], c = shape[1], h = shape[2], wd = shape[3];
        int oh = w.OutH(h), ow = w.OutW(wd), k = c * w.KernelH * w.KernelW;
        for (int b = 0; b < n; b++)
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    var row = columns.Slice(((b * oh + y) * ow + x) * k, k);
                    int col = 0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        int plane = (b * c + ch) * h * wd;
                        for (int i = 0; i < w.KernelH; i++)
                        {
                            int iy = y * w.StrideH - w.PadH + i;
                            bool rowInside = (uint)iy < (uint)h;
                            for (int j = 0; j < w.KernelW; j++, col++)
                            {
                                int ix = x * w.StrideW - w.PadW + j;
                                if (rowInside && (uint)ix < (uint)wd) image[plane + iy * wd + ix] += row[col];
                            }
                        }
                    }
                }
    }
}
