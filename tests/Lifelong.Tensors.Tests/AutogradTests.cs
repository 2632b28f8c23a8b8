using Lifelong.Tensors;

namespace Lifelong.Tensors.Tests;

public class AutogradTests
{
    [Fact]
    public void Backward_accumulates_into_leaf_gradients()
    {
        // L = Σ x² → dL/dx = 2x; calling Backward twice accumulates 4x.
        var x = Tensor.FromArray([1f, -2f, 3f]);
        x.RequiresGrad = true;
        x.Square().Sum().Backward();
        Assert.Equal(new[] { 2f, -4f, 6f }, x.Grad!.ToArray());
        x.Square().Sum().Backward();
        Assert.Equal(new[] { 4f, -8f, 12f }, x.Grad!.ToArray());
    }

    [Fact]
    public void A_tensor_used_twice_gets_both_contributions()
    {
        // y = x·x + x → dy/dx = 2x + 1
        var x = Tensor.FromArray([3f]);
        x.RequiresGrad = true;
        var g = Autograd.Grad((x * x + x).Sum(), [x]);
        Assert.Equal(7f, g[0].Item());
    }

    [Fact]
    public void No_grad_scope_records_nothing_and_nests()
    {
        var x = Tensor.Ones(2);
        x.RequiresGrad = true;
        using (Autograd.NoGrad())
        {
            Assert.False((x * 2f).RequiresGrad);
            using (Autograd.EnableGrad()) Assert.True((x * 2f).RequiresGrad);
            using (Autograd.NoGrad()) Assert.False(Autograd.IsGradEnabled);
            Assert.False(Autograd.IsGradEnabled);
        }
        Assert.True(Autograd.IsGradEnabled);
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public void Detach_cuts_the_graph()
    {
        var x = Tensor.FromArray([2f]);
        x.RequiresGrad = true;
        var y = x * x.Detach();   // d/dx (x·c) = c = 2
        Assert.Equal(2f, Autograd.Grad(y.Sum(), [x])[0].Item());
    }

    [Fact]
    public void Grad_of_grad_gives_second_derivatives()
    {
        // f = x³ → f' = 3x², f'' = 6x, f''' = 6 at x = 2
        var x = Tensor.FromArray([2f]);
        x.RequiresGrad = true;
        var d1 = Autograd.Grad(x.Pow(3f).Sum(), [x], createGraph: true)[0];
        var d2 = Autograd.Grad(d1.Sum(), [x], createGraph: true)[0];
        var d3 = Autograd.Grad(d2.Sum(), [x])[0];
        Assert.Equal(12f, d1.Item(), 4);
        Assert.Equal(12f, d2.Item(), 4);
        Assert.Equal(6f, d3.Item(), 4);
    }

    [Fact]
    public void Grad_with_respect_to_an_intermediate_and_an_unused_input()
    {
        var x = Tensor.FromArray([1f, 2f]);
        var unused = Tensor.FromArray([5f]);
        x.RequiresGrad = unused.RequiresGrad = true;
        var h = x * 3f;
        var g = Autograd.Grad(h.Square().Sum(), [h, unused]);
        Assert.Equal(new[] { 6f, 12f }, g[0].ToArray());   // d(h²)/dh = 2h
        Assert.Equal(new[] { 0f }, g[1].ToArray());
    }

    [Fact]
    public void Deep_graphs_do_not_overflow_the_stack()
    {
        var x = Tensor.FromArray([1f]);
        x.RequiresGrad = true;
        var y = x;
        for (int i = 0; i < 100_000; i++) y = y + 1e-6f;
        Assert.Equal(1f, Autograd.Grad(y.Sum(), [x])[0].Item());
    }

    [Fact]
    public void Backward_on_a_non_scalar_requires_its_gradient()
    {
        var x = Tensor.Ones(3);
        x.RequiresGrad = true;
        var ex = Assert.Throws<ArgumentException>(() => (x * 2f).Backward());
        Assert.Contains("(3,)", ex.Message);
        (x * 2f).Backward(Tensor.FromArray([1f, 2f, 3f]));
        Assert.Equal(new[] { 2f, 4f, 6f }, x.Grad!.ToArray());
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_results()
    {
        static float[] Run()
        {
            var rng = new Rng(123);
            var w = Tensor.Normal(new Shape(64, 300), 0f, 0.1f, rng);
            var x = Tensor.Uniform(new Shape(200, 300), 0f, 1f, rng);
            w.RequiresGrad = true;
            var loss = F.CrossEntropy(F.Linear(x, w).Relu(), Enumerable.Range(0, 200).Select(i => i % 64).ToArray());
            return [loss.Item(), .. Autograd.Grad(loss, [w])[0].ToArray()];
        }
        Assert.Equal(Run(), Run());
    }
}
