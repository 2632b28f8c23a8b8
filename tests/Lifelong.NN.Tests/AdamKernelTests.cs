using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class AdamKernelTests
{
    [Fact]
    public void The_fused_step_follows_adam_written_out_in_double_and_never_leaves_subnormal_moments()
    {
        const int n = 1_037;   // not a multiple of the vector width: the scalar tail runs too
        var p = new Parameter(n);
        var rng = new Rng(4);
        for (int i = 0; i < n; i++) p.Span[i] = 2 * rng.NextFloat() - 1;
        var adam = new Adam([p], lr: 1e-2);
        double[] theta = [.. p.ToArray().Select(x => (double)x)], m = new double[n], v = new double[n];
        p.Grad = Tensor.Zeros(n);
        for (int t = 1; t <= 3_000; t++)
        {
            var g = p.Grad.Span;
            // Random gradients for 500 steps, then zero for a third of the elements: their moments decay toward subnormals.
            for (int i = 0; i < n; i++) g[i] = t > 500 && i % 3 == 0 ? 0f : 0.1f * (2 * rng.NextFloat() - 1);
            for (int i = 0; i < n; i++)
            {
                double gi = g[i];
                m[i] = 0.9 * m[i] + 0.1 * gi;
                v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                theta[i] -= 1e-2 / (1 - Math.Pow(0.9, t)) * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(1 - Math.Pow(0.999, t)) + 1e-8);
            }
            adam.Step();
            // m of a zero-gradient element shrinks by 0.9 a step: without the flush it is subnormal around steps 1,280–1,430.
            if (t > 500) Assert.DoesNotContain(adam.GetState(p)![Adam.ExpAvg].ToArray(), float.IsSubnormal);
        }
        for (int i = 0; i < n; i++) Assert.Equal(theta[i], p.Span[i], 2e-4);
        Assert.DoesNotContain(adam.GetState(p)![Adam.ExpAvgSq].ToArray(), float.IsSubnormal);
    }
}
