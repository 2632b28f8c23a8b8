namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>x̂[n, c, h, w] = (x − μ_c) / √(σ²_c + ε), with μ_c and the population variance σ²_c over N, H and W: the core of
    /// batch norm on (N, C, H, W), fused into one pass forward and one backward.</summary>
    /// <remarks>
    /// Backward, with g = dy and means over a channel's N·H·W entries: dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)). Without a
    /// graph this runs as one kernel; when the backward itself is recorded (second-order MAML), it is written in
    /// differentiable ops of x, so gradients of gradients stay exact (as <see cref="Normalize"/> does for LayerNorm).
    /// Equals the composite <see cref="BatchNormalizeComposite"/> it replaces.
    /// </remarks>
    /// <param name="x">(N, C, H, W)</param> <param name="eps">ε added to the variance.</param>
    /// <param name="mean">μ per channel (C), for running estimates.</param> <param name="variance">σ² per channel (C), biased.</param>
    public static Tensor BatchNormalize(this Tensor x, float eps, out float[] mean, out float[] variance)
    {
        if (x.Rank != 4) throw new ArgumentException($"BatchNormalize: expected (N, C, H, W), got shape {x.Shape}.");
        int n = x.Shape[0], channels = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        var y = Tensor.Uninitialized(x.Shape);
        (mean, variance) = (new float[channels], new float[channels]);
        var rstd = new float[channels];
        var src = x.Span;
        var dst = y.Span;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                foreach (float v in src.Slice((b * channels + c) * plane, plane)) sum += v;
            float mu = (float)(sum / ((double)n * plane));
            double squares = 0;
            for (int b = 0; b < n; b++)
                foreach (float v in src.Slice((b * channels + c) * plane, plane)) squares += (double)(v - mu) * (v - mu);
            float sigma2 = (float)(squares / ((double)n * plane));
            float inverse = 1f / MathF.Sqrt(sigma2 + eps);
            (mean[c], variance[c], rstd[c]) = (mu, sigma2, inverse);
            for (int b = 0; b < n; b++)
            {
                int start = (b * channels + c) * plane;
                for (int i = start; i < start + plane; i++) dst[i] = (src[i] - mu) * inverse;
            }
        }
        return Autograd.Record(y, [x], dy => [Autograd.IsGradEnabled ? BatchNormalizeBackwardRecorded(x, dy, eps) : BatchNormalizeBackward(y, dy, rstd)]);
    }

    private static Tensor BatchNormalizeBackward(Tensor xHat, Tensor dy, float[] rstd)
    {
        int n = xHat.Shape[0], channels = xHat.Shape[1], plane = xHat.Shape[2] * xHat.Shape[3];
        double count = (double)n * plane;
        var dx = Tensor.Uninitialized(xHat.Shape);
        var g = dy.Span;
        var h = xHat.Span;
        var o = dx.Span;
        for (int c = 0; c < channels; c++)
        {
            double sumG = 0, sumGh = 0;
            for (int b = 0; b < n; b++)
            {
                int start = (b * channels + c) * plane;
                for (int i = start; i < start + plane; i++)
                {
                    sumG += g[i];
                    sumGh += (double)g[i] * h[i];
                }
            }
            float meanG = (float)(sumG / count), meanGh = (float)(sumGh / count);
            for (int b = 0; b < n; b++)
            {
                int start = (b * channels + c) * plane;
                for (int i = start; i < start + plane; i++) o[i] = rstd[c] * (g[i] - meanG - h[i] * meanGh);
            }
        }
        return dx;
    }

    private static Tensor BatchNormalizeBackwardRecorded(Tensor x, Tensor dy, float eps)
    {
        int[] axes = [0, 2, 3];
        var centered = x - x.Mean(axes, keepDim: true);
        var inverse = centered.Square().Mean(axes, keepDim: true).Add(eps).Sqrt().Reciprocal();
        var xHat = centered * inverse;
        return inverse * (dy - dy.Mean(axes, keepDim: true) - xHat * (dy * xHat).Mean(axes, keepDim: true));
    }

    /// <summary>The composite of differentiable primitives that <see cref="BatchNormalize"/> fuses: its test oracle.</summary>
    internal static Tensor BatchNormalizeComposite(this Tensor x, float eps)
    {
        var centered = x - x.Mean([0, 2, 3], keepDim: true);
        var variance = (centered * centered).Mean([0, 2, 3], keepDim: true);
        return centered / (variance + eps).Sqrt();
    }
}
