using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>y = x·Wᵀ + b for a batch of rows, as one op: the bias is added in place to the product, which saves the
    /// broadcast add's output and graph node of the composite <c>x.MatMul(W, transposeB: true) + b</c> (its test oracle).</summary>
    /// <remarks>
    /// The same kernels in the same order as the composite, so the values are bit-identical. Backward, in differentiable
    /// ops: dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy.
    /// </remarks>
    /// <param name="x">(N, in)</param>
    /// <param name="weight">W, (out, in)</param>
    /// <param name="bias">b, (out)</param>
    /// <returns>(N, out)</returns>
    internal static Tensor AffineRows(Tensor x, Tensor weight, Tensor bias)
    {
        int n = x.Shape[0], inFeatures = x.Shape[1], outFeatures = weight.Shape[0];
        if (x.Rank != 2 || weight.Rank != 2 || weight.Shape[1] != inFeatures || bias.Rank != 1 || bias.Shape[0] != outFeatures)
            throw new ArgumentException($"Linear: shapes x {x.Shape}, weight {weight.Shape}, bias {bias.Shape} do not fit y = x·Wᵀ + b.");
        var y = Tensor.Uninitialized(Shape.Wrap([n, outFeatures]));
        Gemm.Sgemm(false, true, n, outFeatures, inFeatures, x.Span, inFeatures, weight.Span, inFeatures, y.Span, outFeatures, accumulate: false);
        var output = y.Span;
        for (int i = 0; i < n; i++)
        {
            var row = output.Slice(i * outFeatures, outFeatures);
            TensorPrimitives.Add(row, bias.Span, row);
        }
        return Autograd.Record(y, [x, weight, bias], dy => [
            x.RequiresGrad ? dy.MatMul(weight) : null,
            weight.RequiresGrad ? dy.MatMul(x, transposeA: true) : null,
            bias.RequiresGrad ? dy.Sum(0) : null], "Linear");
    }
}
