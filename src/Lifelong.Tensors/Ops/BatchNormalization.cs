using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Batch norm of (N, C, H, W) with the batch's statistics: y = (x − μ_c) / √(σ²_c + ε) · γ_c + β_c, with μ_c and
    /// the population variance σ²_c over N, H and W; fused into one op forward and one backward.</summary>
    /// <remarks>
    /// Backward, with g = dy, x̂ = (x − μ)·rstd and means over a channel's N·H·W entries:
    /// dx = γ·rstd·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ g·x̂, dβ = Σ g. Without a graph this runs as one kernel; when the
    /// backward itself is recorded (second-order MAML), it is written in differentiable ops of x, γ and g, so gradients
    /// of gradients stay exact (as <see cref="Normalize"/> does for LayerNorm). Equals the composite
    /// <see cref="BatchNorm2dComposite"/> it replaces.
    /// </remarks>
    /// <param name="x">(N, C, H, W)</param> <param name="weight">γ (C)</param> <param name="bias">β (C)</param>
    /// <param name="eps">ε added to the variance.</param>
    /// <param name="mean">μ per channel (C), for running estimates.</param> <param name="variance">σ² per channel (C), biased.</param>
    public static Tensor BatchNorm2d(this Tensor x, Tensor weight, Tensor bias, float eps, out float[] mean, out float[] variance)
    {
        if (x.Rank != 4) throw new ArgumentException($"BatchNorm2d: expected (N, C, H, W), got shape {x.Shape}.");
        int n = x.Shape[0], channels = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        if (weight.Shape != new Shape(channels) || bias.Shape != new Shape(channels))
            throw new ArgumentException($"BatchNorm2d: weight {weight.Shape} and bias {bias.Shape} must both be ({channels}).");
        var y = Tensor.Uninitialized(x.Shape);
        (mean, variance) = (new float[channels], new float[channels]);
        var rstd = new float[channels];
        var src = x.Span;
        var dst = y.Span;
        var gamma = weight.Span;
        var beta = bias.Span;
        double count = (double)n * plane;
        for (int c = 0; c < channels; c++)
        {
            // Per-plane float sums added in double, in a fixed order: vectorized and deterministic.
            double sum = 0;
            for (int b = 0; b < n; b++) sum += Reductions.Sum(src.Slice((b * channels + c) * plane, plane));
            float mu = (float)(sum / count);
            double squares = 0;
            for (int b = 0; b < n; b++)
            {
                var centered = dst.Slice((b * channels + c) * plane, plane);
                TensorPrimitives.Subtract(src.Slice((b * channels + c) * plane, plane), mu, centered);
                squares += Reductions.SumOfSquares(centered);
            }
            float sigma2 = (float)(squares / count), inverse = 1f / MathF.Sqrt(sigma2 + eps);
            (mean[c], variance[c], rstd[c]) = (mu, sigma2, inverse);
            for (int b = 0; b < n; b++)
            {
                var centered = dst.Slice((b * channels + c) * plane, plane);
                TensorPrimitives.Multiply(centered, inverse * gamma[c], centered);
                TensorPrimitives.Add(centered, beta[c], centered);
            }
        }
        var batchMean = mean;
        return Autograd.Record(y, [x, weight, bias], dy => Autograd.IsGradEnabled
            ? BatchNorm2dBackwardRecorded(x, weight, dy, eps)
            : BatchNorm2dBackward(x, weight, dy, batchMean, rstd));
    }

    private static Tensor[] BatchNorm2dBackward(Tensor x, Tensor weight, Tensor dy, float[] mean, float[] rstd)
    {
        int n = x.Shape[0], channels = x.Shape[1], plane = x.Shape[2] * x.Shape[3];
        double count = (double)n * plane;
        var (dx, dWeight, dBias) = (Tensor.Uninitialized(x.Shape), Tensor.Uninitialized(weight.Shape), Tensor.Uninitialized(weight.Shape));
        var g = dy.Span;
        var src = x.Span;
        var o = dx.Span;
        var gamma = weight.Span;
        for (int c = 0; c < channels; c++)
        {
            double sumG = 0, sumGh = 0;
            for (int b = 0; b < n; b++)
            {
                int start = (b * channels + c) * plane;
                var xHat = o.Slice(start, plane);
                TensorPrimitives.Subtract(src.Slice(start, plane), mean[c], xHat);
                TensorPrimitives.Multiply(xHat, rstd[c], xHat);
                sumG += Reductions.Sum(g.Slice(start, plane));
                sumGh += Reductions.Dot(g.Slice(start, plane), xHat);
            }
            // dx = γ·rstd·g − γ·rstd·mean(g·x̂)·x̂ − γ·rstd·mean(g), from x̂ held in dx.
            float scale = gamma[c] * rstd[c];
            float onXHat = -scale * (float)(sumGh / count), shift = -scale * (float)(sumG / count);
            for (int b = 0; b < n; b++)
            {
                int start = (b * channels + c) * plane;
                var outPlane = o.Slice(start, plane);
                TensorPrimitives.Multiply(outPlane, onXHat, outPlane);
                TensorPrimitives.Add(outPlane, shift, outPlane);
                TensorPrimitives.MultiplyAdd(g.Slice(start, plane), scale, outPlane, outPlane);
            }
            (dWeight.Span[c], dBias.Span[c]) = ((float)sumGh, (float)sumG);
        }
        return [dx, dWeight, dBias];
    }

    private static Tensor[] BatchNorm2dBackwardRecorded(Tensor x, Tensor weight, Tensor dy, float eps)
    {
        int[] axes = [0, 2, 3];
        var centered = x - x.Mean(axes, keepDim: true);
        var inverse = centered.Square().Mean(axes, keepDim: true).Add(eps).Sqrt().Reciprocal();
        var xHat = centered * inverse;
        var g = dy * weight.Reshape(1, weight.Size, 1, 1);
        var dx = inverse * (g - g.Mean(axes, keepDim: true) - xHat * (g * xHat).Mean(axes, keepDim: true));
        return [dx, (dy * xHat).Sum(axes), dy.Sum(axes)];
    }

    /// <summary>The composite of differentiable primitives that <see cref="BatchNorm2d"/> fuses: its test oracle.</summary>
    internal static Tensor BatchNorm2dComposite(this Tensor x, Tensor weight, Tensor bias, float eps)
    {
        var shape = new Shape(1, weight.Size, 1, 1);
        var centered = x - x.Mean([0, 2, 3], keepDim: true);
        var variance = (centered * centered).Mean([0, 2, 3], keepDim: true);
        return centered / (variance + eps).Sqrt() * weight.Reshape(shape) + bias.Reshape(shape);
    }
}
