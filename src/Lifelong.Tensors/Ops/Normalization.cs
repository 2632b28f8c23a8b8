namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>x̂ = (x − mean) / √(var + ε) over the last <paramref name="normalizedDims"/> dims (population variance): the
    /// core of LayerNorm, fused into one pass forward and one backward.</summary>
    /// <remarks>
    /// Backward, with g = dy and D the normalized size: dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)). Without a graph this
    /// runs as one kernel; when the backward itself is recorded (second-order MAML), it is written in differentiable ops of
    /// x, so gradients of gradients stay exact. Equals the composite (x − μ)·(σ² + ε)^(−½) it replaces.
    /// </remarks>
    public static Tensor Normalize(this Tensor x, int normalizedDims = 1, float eps = 1e-5f)
    {
        if (normalizedDims < 1 || normalizedDims > x.Rank) throw new ArgumentException($"Normalize: cannot normalize {normalizedDims} trailing dims of shape {x.Shape}.");
        int d = x.Shape.SizeOf(x.Rank - normalizedDims, x.Rank), rows = d == 0 ? 0 : x.Size / d;
        var y = Tensor.Uninitialized(x.Shape);
        var rstd = new float[rows];
        var src = x.Span;
        var dst = y.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = src.Slice(r * d, d);
            double sum = 0;
            foreach (float v in row) sum += v;
            float mean = (float)(sum / d);
            double squares = 0;
            foreach (float v in row) squares += (double)(v - mean) * (v - mean);
            float inverse = 1f / MathF.Sqrt((float)(squares / d) + eps);
            rstd[r] = inverse;
            var outRow = dst.Slice(r * d, d);
            for (int i = 0; i < d; i++) outRow[i] = (row[i] - mean) * inverse;
        }
        return Autograd.Record(y, [x], dy => [Autograd.IsGradEnabled ? NormalizeBackwardRecorded(x, dy, normalizedDims, eps) : NormalizeBackward(y, dy, rstd, d)]);
    }

    private static Tensor NormalizeBackward(Tensor xHat, Tensor dy, float[] rstd, int d)
    {
        var dx = Tensor.Uninitialized(xHat.Shape);
        var g = dy.Span;
        var h = xHat.Span;
        var o = dx.Span;
        for (int r = 0; r < rstd.Length; r++)
        {
            int start = r * d;
            double meanG = 0, meanGh = 0;
            for (int i = start; i < start + d; i++)
            {
                meanG += g[i];
                meanGh += (double)g[i] * h[i];
            }
            float a = (float)(meanG / d), b = (float)(meanGh / d);
            for (int i = start; i < start + d; i++) o[i] = rstd[r] * (g[i] - a - h[i] * b);
        }
        return dx;
    }

    private static Tensor NormalizeBackwardRecorded(Tensor x, Tensor dy, int normalizedDims, float eps)
    {
        var axes = Enumerable.Range(x.Rank - normalizedDims, normalizedDims).ToArray();
        var centered = x - x.Mean(axes, keepDim: true);
        var inverse = centered.Square().Mean(axes, keepDim: true).Add(eps).Sqrt().Reciprocal();
        var xHat = centered * inverse;
        return inverse * (dy - dy.Mean(axes, keepDim: true) - xHat * (dy * xHat).Mean(axes, keepDim: true));
    }
}
