using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Layer norm with its affine map, y = (x − μ)/√(σ² + ε) · γ + β over the last <paramref name="normalizedDims"/>
    /// dims (population variance, as PyTorch), fused into one op forward and one backward.</summary>
    /// <remarks>
    /// Backward, with g = dy, x̂ = (x − μ)·rstd, g' = g·γ and means over a row's D normalized entries:
    /// dx = rstd·(g' − mean(g') − x̂·mean(g'·x̂)), dγ = Σ_rows g·x̂, dβ = Σ_rows g. This saves the composite
    /// <c>Normalize(x)·γ + β</c> two broadcast ops forward and their reductions backward. When the backward itself is recorded
    /// (second-order MAML), it is written in differentiable ops of x, γ and g, so gradients of gradients stay exact.
    /// <see cref="LayerNormComposite"/> is its test oracle.
    /// </remarks>
    /// <param name="x">(*, normalized shape)</param>
    /// <param name="weight">γ, the normalized shape</param>
    /// <param name="bias">β, the normalized shape</param>
    /// <param name="eps">ε added to the variance.</param>
    /// <param name="normalizedDims">How many trailing dims are normalized together.</param>
    public static Tensor LayerNorm(this Tensor x, Tensor weight, Tensor bias, float eps = 1e-5f, int normalizedDims = 1)
    {
        if (normalizedDims < 1 || normalizedDims > x.Rank) throw new ArgumentException($"LayerNorm: cannot normalize {normalizedDims} trailing dims of shape {x.Shape}.");
        var normalizedShape = new Shape(x.Shape.Dims[^normalizedDims..].ToArray());
        if (weight.Shape != normalizedShape || bias.Shape != normalizedShape)
            throw new ArgumentException($"LayerNorm: weight {weight.Shape} and bias {bias.Shape} must both have the normalized shape {normalizedShape}.");
        int d = normalizedShape.Size, rows = d == 0 ? 0 : x.Size / d;
        var y = Tensor.Uninitialized(x.Shape);
        var (mean, rstd) = (new float[rows], new float[rows]);
        var src = x.Span;
        var dst = y.Span;
        for (int r = 0; r < rows; r++)
        {
            var row = src.Slice(r * d, d);
            var outRow = dst.Slice(r * d, d);
            float mu = Reductions.Sum(row) / d;
            LayerNormRows.Center(row, mu, outRow);
            float inverse = 1f / MathF.Sqrt(Reductions.SumOfSquares(outRow) / d + eps);
            (mean[r], rstd[r]) = (mu, inverse);
            LayerNormRows.ScaleShift(outRow, inverse, weight.Span, bias.Span);
        }
        return Autograd.Record(y, [x, weight, bias], dy => Autograd.IsGradEnabled
            ? LayerNormBackwardRecorded(x, weight, dy, eps, normalizedDims)
            : LayerNormBackward(x, weight, dy, mean, rstd));
    }

    private static Tensor[] LayerNormBackward(Tensor x, Tensor weight, Tensor dy, float[] mean, float[] rstd)
    {
        int d = weight.Size;
        var (dx, dWeight, dBias) = (Tensor.Uninitialized(x.Shape), Tensor.Zeros(weight.Shape), Tensor.Zeros(weight.Shape));
        var src = x.Span;
        var g = dy.Span;
        var o = dx.Span;
        var gamma = weight.Span;
        var scaled = new float[d];   // g' = g·γ of one row
        for (int r = 0; r < rstd.Length; r++)
        {
            var gradRow = g.Slice(r * d, d);
            var xHat = o.Slice(r * d, d);   // x̂ is built in dx, then turned into dx
            LayerNormRows.Accumulate(src.Slice(r * d, d), mean[r], rstd[r], gradRow, gamma, xHat, scaled, dWeight.Span, dBias.Span);
            float meanScaled = Reductions.Sum(scaled) / d, meanScaledXHat = Reductions.Dot(scaled, xHat) / d;
            // dx = rstd·(g' − mean(g')) − rstd·mean(g'·x̂)·x̂, from x̂ held in dx.
            LayerNormRows.InputGradient(xHat, -rstd[r] * meanScaledXHat, -rstd[r] * meanScaled, scaled, rstd[r]);
        }
        return [dx, dWeight, dBias];
    }

    private static Tensor[] LayerNormBackwardRecorded(Tensor x, Tensor weight, Tensor dy, float eps, int normalizedDims)
    {
        var axes = Enumerable.Range(x.Rank - normalizedDims, normalizedDims).ToArray();
        var rowAxes = Enumerable.Range(0, x.Rank - normalizedDims).ToArray();
        var centered = x - x.Mean(axes, keepDim: true);
        var inverse = centered.Square().Mean(axes, keepDim: true).Add(eps).Sqrt().Reciprocal();
        var xHat = centered * inverse;
        var g = dy * weight;
        var dx = inverse * (g - g.Mean(axes, keepDim: true) - xHat * (g * xHat).Mean(axes, keepDim: true));
        return rowAxes.Length == 0 ? [dx, dy * xHat, dy] : [dx, (dy * xHat).Sum(rowAxes), dy.Sum(rowAxes)];
    }

    /// <summary>The composite of differentiable primitives that <see cref="LayerNorm"/> fuses: its test oracle.</summary>
    internal static Tensor LayerNormComposite(this Tensor x, Tensor weight, Tensor bias, float eps, int normalizedDims = 1)
    {
        var axes = Enumerable.Range(x.Rank - normalizedDims, normalizedDims).ToArray();
        var centered = x - x.Mean(axes, keepDim: true);
        var variance = (centered * centered).Mean(axes, keepDim: true);
        return centered / (variance + eps).Sqrt() * weight + bias;
    }
}
