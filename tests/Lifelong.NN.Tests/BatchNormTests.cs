using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class BatchNormTests
{
    private static Tensor Input(ulong seed) => Tensor.Normal(new Shape(4, 3, 2, 5), 1.5f, 2f, new Rng(seed));

    /// <summary>The definition, per channel, in double.</summary>
    private static (double[] Mean, double[] Variance) Statistics(Tensor x)
    {
        int n = x.Shape[0], c = x.Shape[1], hw = x.Shape[2] * x.Shape[3];
        var (mean, variance) = (new double[c], new double[c]);
        var v = x.ToArray();
        for (int ch = 0; ch < c; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, hw).Select(j => (double)v[(i * c + ch) * hw + j])).ToArray();
            mean[ch] = values.Average();
            variance[ch] = values.Select(a => (a - mean[ch]) * (a - mean[ch])).Average();
        }
        return (mean, variance);
    }

    [Fact]
    public void Training_mode_normalizes_with_the_batch_statistics_and_updates_the_running_ones_as_pytorch()
    {
        var bn = new BatchNorm2d(3);
        using (Autograd.NoGrad()) { bn.Weight.Span[1] = 2f; bn.Bias.Span[2] = -0.5f; }
        var x = Input(1);
        var y = bn.Forward(x);
        var (mean, variance) = Statistics(x);
        int hw = 10;
        for (int i = 0; i < 4; i++)
            for (int ch = 0; ch < 3; ch++)
                for (int j = 0; j < hw; j++)
                {
                    int k = (i * 3 + ch) * hw + j;
                    double expected = (x.Span[k] - mean[ch]) / Math.Sqrt(variance[ch] + 1e-5) * bn.Weight.Span[ch] + bn.Bias.Span[ch];
                    Assert.Equal(expected, y.Span[k], 1e-4);
                }
        for (int ch = 0; ch < 3; ch++)
        {
            Assert.Equal(0.1 * mean[ch], bn.RunningMean!.Span[ch], 1e-5);
            Assert.Equal(0.9 + 0.1 * variance[ch] * 40 / 39, bn.RunningVar!.Span[ch], 1e-4);   // unbiased: n·H·W / (n·H·W − 1)
        }
    }

    [Fact]
    public void Evaluation_mode_uses_the_running_statistics_unless_they_are_not_tracked()
    {
        var tracked = new BatchNorm2d(3);
        var x = Input(2);
        tracked.Eval();
        // Running mean 0 and variance 1 at first: evaluation is the identity up to ε.
        var y = tracked.Forward(x);
        for (int k = 0; k < x.Size; k++) Assert.Equal(x.Span[k] / Math.Sqrt(1 + 1e-5), y.Span[k], 1e-4);

        var transductive = new BatchNorm2d(3, trackRunningStats: false);
        transductive.Eval();
        var z = transductive.Forward(x);
        var (mean, _) = Statistics(z);
        Assert.All(mean, m => Assert.Equal(0, m, 1e-4));
        Assert.Empty(transductive.NamedBuffers());
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], tracked.NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        var bn = new BatchNorm2d(3, trackRunningStats: false);
        var x = Input(3);
        x.RequiresGrad = true;
        var weights = Tensor.Normal(new Shape(4, 3, 2, 5), 0f, 1f, new Rng(9));
        Tensor Loss() => (bn.Forward(x) * weights).Tanh().Sum();
        var grads = Autograd.Grad(Loss(), [x, bn.Weight, bn.Bias]);
        foreach (var (tensor, grad) in new[] { (x, grads[0]), ((Tensor)bn.Weight, grads[1]), (bn.Bias, grads[2]) })
        {
            var values = tensor.Span;
            for (int i = 0; i < values.Length; i += 3)
            {
                const float h = 1e-2f;
                float original = values[i];
                double plus, minus;
                using (Autograd.NoGrad())
                {
                    values[i] = original + h;
                    plus = Loss().Item();
                    values[i] = original - h;
                    minus = Loss().Item();
                    values[i] = original;
                }
                double numeric = (plus - minus) / (2 * h);
                Assert.Equal(numeric, grad.Span[i], 0.02 * Math.Max(1, Math.Abs(numeric)));
            }
        }
    }

    [Fact]
    public void A_wrong_shape_is_refused_with_the_expected_one()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(Tensor.Zeros(2, 4, 3, 3)));
        Assert.Contains("expected (N, 3, H, W)", e.Message);
    }
}
