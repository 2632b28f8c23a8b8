using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class AdamKernelTests
{
    /// <summary>The 512-bit, 256-bit and scalar paths give the same bits, whichever this machine accelerates (a width it
    /// lacks runs in software): on random moments, on zero gradients whose tiny moments are flushed, and on a tail.</summary>
    [Fact]
    public void Every_vector_width_gives_the_same_bits()
    {
        const int n = 1_037;
        var rng = new Rng(8);
        float[] theta = new float[n], g = new float[n], m = new float[n], v = new float[n];
        for (int i = 0; i < n; i++)
        {
            theta[i] = 2 * rng.NextFloat() - 1;
            bool spent = i % 5 == 0;   // a gradient that stopped long ago: moments near the flush thresholds
            g[i] = spent ? 0f : 0.1f * (2 * rng.NextFloat() - 1);
            m[i] = spent ? (i % 10 == 0 ? 3e-31f : 2e-29f) : 0.01f * (2 * rng.NextFloat() - 1);
            v[i] = spent ? (i % 15 == 0 ? 5e-31f : 4e-29f) : 1e-4f * rng.NextFloat();
        }
        (float[] Theta, float[] M, float[] V) Step(int bits)
        {
            float[] t = (float[])theta.Clone(), mm = (float[])m.Clone(), vv = (float[])v.Clone();
            for (int step = 0; step < 3; step++)
                AdamKernel.Apply(t, g, mm, vv, 0.9f, 0.1f, 0.999f, 0.001f, 1e-2f, 0.05f, 1e-8f, bits);
            return (t, mm, vv);
        }
        var scalar = Step(0);
        Assert.Contains(0f, scalar.M);   // the flush ran
        foreach (int bits in new[] { 256, 512 })
        {
            var vector = Step(bits);
            Assert.Equal(scalar.Theta, vector.Theta);
            Assert.Equal(scalar.M, vector.M);
            Assert.Equal(scalar.V, vector.V);
        }
    }

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

    [Fact]
    public void Under_a_penalty_toward_zero_the_step_is_the_unflushed_computation_bit_for_bit()
    {
        // L2's gradient on a dead unit's weight is λθ alone. Adam drives such a weight to ~1e-25 in a thousand steps, its
        // moments fall below 1e-30, and then ε's amplification (η·λ/ε = 1000) lifts it back to ~1e-5: a flush there freezes
        // the weight near zero forever instead.
        const int n = 1_037;
        const float lambda = 1e-2f, lr = 1e-3f;
        var p = new Parameter(n);
        var rng = new Rng(5);
        for (int i = 0; i < n; i++) p.Span[i] = 0.07f * rng.NextFloat() - 0.035f;
        var adam = new Adam([p], lr: lr);
        float[] theta = p.ToArray(), m = new float[n], v = new float[n];
        p.Grad = Tensor.Zeros(n);
        for (int t = 1; t <= 20_000; t++)
        {
            for (int i = 0; i < n; i++) p.Grad.Span[i] = lambda * p.Span[i];
            adam.Step();
            UnflushedFloatStep(theta, m, v, t, lr, g: i => lambda * theta[i]);
            if (t % 1_000 == 0) Assert.Equal(theta, p.ToArray());
        }
        Assert.True(theta.Average(x => Math.Abs(x)) > 1e-7, "the weights come back from ~1e-25 to Adam's ε-equilibrium");
    }

    [Fact]
    public void Where_the_gradient_stops_theta_is_the_unflushed_computation_bit_for_bit_and_the_moments_end_at_zero()
    {
        const int n = 259;   // 16 vectors and a scalar tail
        var p = new Parameter(n);
        var rng = new Rng(6);
        for (int i = 0; i < n; i++) p.Span[i] = 2 * rng.NextFloat() - 1;
        var adam = new Adam([p], lr: 1e-2f);
        float[] theta = p.ToArray(), m = new float[n], v = new float[n], noise = new float[n];
        p.Grad = Tensor.Zeros(n);
        // v of a zero-gradient element decays by 0.999 a step: unflushed, it would turn subnormal around step 83,000.
        for (int t = 1; t <= 90_000; t++)
        {
            for (int i = 0; i < n; i++) noise[i] = t > 300 && i % 3 == 0 ? 0f : 0.1f * (2 * rng.NextFloat() - 1);
            noise.CopyTo(p.Grad.Span);
            adam.Step();
            UnflushedFloatStep(theta, m, v, t, 1e-2f, g: i => noise[i]);
        }
        Assert.Equal(theta, p.ToArray());
        var (flushedM, flushedV) = (adam.GetState(p)![Adam.ExpAvg].ToArray(), adam.GetState(p)![Adam.ExpAvgSq].ToArray());
        for (int i = 0; i < n; i += 3) Assert.True(flushedM[i] == 0 && flushedV[i] == 0, $"moments of zero-gradient element {i} are {flushedM[i]}, {flushedV[i]}");
    }

    /// <summary>Adam in float with the kernel's operations in its order and no flush (PyTorch's CPU arithmetic, subnormals included).</summary>
    private static void UnflushedFloatStep(float[] theta, float[] m, float[] v, int t, float lr, Func<int, float> g)
    {
        float beta1 = 0.9f, beta2 = 0.999f, c1 = (float)(1 - 0.9), c2 = (float)(1 - 0.999), eps = 1e-8f;
        float negativeStep = -(float)(lr / (1 - Math.Pow(0.9, t))), correction2 = (float)Math.Sqrt(1 - Math.Pow(0.999, t));
        var gradient = Enumerable.Range(0, theta.Length).Select(g).ToArray();
        for (int i = 0; i < theta.Length; i++)
        {
            m[i] = m[i] * beta1 + gradient[i] * c1;
            v[i] = v[i] * beta2 + gradient[i] * gradient[i] * c2;
            theta[i] += m[i] / (MathF.Sqrt(v[i]) / correction2 + eps) * negativeStep;
        }
    }
}
