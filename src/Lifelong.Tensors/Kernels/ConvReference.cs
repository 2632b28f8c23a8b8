namespace Lifelong.Tensors.Kernels;

/// <summary>The naive direct convolution: the test oracle for <see cref="TensorMath.Conv2d"/>. Sums in double.</summary>
internal static class ConvReference
{
    /// <summary>y (N, O, Ho, Wo) = Σ_c,i,j x[n, c, oh·s − p + i, ow·s − p + j]·w[o, c, i, j] + b[o].</summary>
    public static float[] Conv2d(float[] x, Shape xShape, float[] weight, Shape wShape, float[]? bias, int stride, int padding)
    {
        int n = xShape[0], c = xShape[1], h = xShape[2], wd = xShape[3];
        int o = wShape[0], kh = wShape[2], kw = wShape[3];
        int oh = (h + 2 * padding - kh) / stride + 1, ow = (wd + 2 * padding - kw) / stride + 1;
        var y = new float[n * o * oh * ow];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < o; oc++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = bias?[oc] ?? 0.0;
                        for (int ch = 0; ch < c; ch++)
                            for (int i = 0; i < kh; i++)
                                for (int j = 0; j < kw; j++)
                                {
                                    int iy = yy * stride - padding + i, ix = xx * stride - padding + j;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    sum += (double)x[((b * c + ch) * h + iy) * wd + ix] * weight[((oc * c + ch) * kh + i) * kw + j];
                                }
                        y[((b * o + oc) * oh + yy) * ow + xx] = (float)sum;
                    }
        return y;
    }
}
