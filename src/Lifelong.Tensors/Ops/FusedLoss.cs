using System.Numerics.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Mean cross-entropy −(1/N) Σᵢ Σ_c t_ic · log softmax(x)_ic of logits (N, C) against targets t (N, C), fused into
    /// one pass forward and one kernel backward; the composite <c>(LogSoftmax(x) ⊙ t).Sum() · (−1/N)</c> is its test oracle.</summary>
    /// <remarks>
    /// Backward, with g = d(loss) and Tᵢ = Σ_c t_ic (1 for a distribution): dx = g/N · (softmax(x) · Tᵢ − t),
    /// dt = −g/N · log softmax(x). Without a graph this runs as one kernel over the softmax kept from the forward pass; when
    /// the backward itself is recorded (second-order MAML) it is written in differentiable ops of x and t, so gradients of
    /// gradients stay exact. The sum runs in double, so the value can differ from the composite's in the last bits.
    /// </remarks>
    /// <param name="logits">x, (N, C)</param>
    /// <param name="targets">t, (N, C)</param>
    /// <returns>A scalar.</returns>
    public static Tensor SoftmaxCrossEntropy(this Tensor logits, Tensor targets)
    {
        if (logits.Rank != 2 || logits.Shape != targets.Shape)
            throw new ArgumentException($"SoftmaxCrossEntropy: logits {logits.Shape} and targets {targets.Shape} must be the same (N, C) shape.");
        int n = logits.Shape[0], c = logits.Shape[1];
        var logProbabilities = Tensor.Uninitialized(logits.Shape);
        var x = logits.Span;
        var t = targets.Span;
        var logP = logProbabilities.Span;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = x.Slice(i * c, c);
            var outRow = logP.Slice(i * c, c);
            float shift = TensorPrimitives.Max(row);
            if (float.IsInfinity(shift)) shift = 0f;   // all −∞ rows stay −∞, not NaN, as LogSumExp
            TensorPrimitives.Subtract(row, shift, outRow);
            Elementary.Exp(outRow, outRow);
            float logSum = Elementary.Log(Reductions.Sum(outRow)) + shift;
            TensorPrimitives.Subtract(row, logSum, outRow);
            var targetRow = t.Slice(i * c, c);
            for (int j = 0; j < c; j++)
                if (targetRow[j] != 0f) total += (double)targetRow[j] * outRow[j];   // 0 · (−∞) counts as 0: a class of zero weight costs nothing
        }
        var y = Tensor.Scalar(n == 0 ? 0f : (float)(-total / n));
        return Autograd.Record(y, [logits, targets], dy => Autograd.IsGradEnabled
            ? SoftmaxCrossEntropyBackwardRecorded(logits, targets, dy)
            : SoftmaxCrossEntropyBackward(logProbabilities, logits, targets, dy));
    }

    private static Tensor?[] SoftmaxCrossEntropyBackward(Tensor logProbabilities, Tensor logits, Tensor targets, Tensor dy)
    {
        int n = logits.Shape[0], c = logits.Shape[1];
        float scale = dy.Item() / n;
        Tensor? dLogits = null, dTargets = null;
        if (logits.RequiresGrad)
        {
            dLogits = Tensor.Uninitialized(logits.Shape);
            var logP = logProbabilities.Span;
            var t = targets.Span;
            var dx = dLogits.Span;
            for (int i = 0; i < n; i++)
            {
                var targetRow = t.Slice(i * c, c);
                float mass = Reductions.Sum(targetRow);
                var outRow = dx.Slice(i * c, c);
                Elementary.Exp(logP.Slice(i * c, c), outRow);
                for (int j = 0; j < c; j++) outRow[j] = (outRow[j] * mass - targetRow[j]) * scale;
            }
        }
        if (targets.RequiresGrad)
        {
            dTargets = Tensor.Uninitialized(targets.Shape);
            TensorPrimitives.Multiply(logProbabilities.Span, -scale, dTargets.Span);
        }
        return [dLogits, dTargets];
    }

    private static Tensor?[] SoftmaxCrossEntropyBackwardRecorded(Tensor logits, Tensor targets, Tensor dy)
    {
        var scale = dy.Mul(1f / logits.Shape[0]);
        var logP = logits - logits.LogSumExp([-1], keepDim: true);
        return [
            logits.RequiresGrad ? (logP.Exp() * targets.Sum([-1], keepDim: true) - targets) * scale : null,
            targets.RequiresGrad ? logP * scale.Neg() : null];
    }
}
