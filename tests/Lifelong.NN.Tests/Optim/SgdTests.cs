using Lifelong.Tensors;
using static Lifelong.NN.Tests.Optim.OptimizerTestData;

namespace Lifelong.NN.Tests.Optim;

public class SgdTests
{
    [Fact]
    public void Nesterov_momentum_with_weight_decay_follows_pytorch_for_three_steps()
    {
        // θ₀ = (1, −2, 0.5), η = 0.1, μ = 0.9, τ = 0, λ = 0.01, Nesterov.
        // Step 1: g' = g + λθ = (0.11, −0.22, 0.305); b = g'; d = g' + μb = 1.9·g' = (0.209, −0.418, 0.5795);
        //         θ = θ − η·d = (0.9791, −1.9582, 0.44205).
        // Step 2: g' = (0.4 + 0.009791, 0 − 0.019582, −0.1 + 0.0044205); b = 0.9·b + g' = (0.508791, −0.217582, 0.1789205);
        //         θ = θ − η(g' + μb) = (0.89232971, −1.93665942, 0.435505105).
        // Step 3 likewise: θ = (0.906422213, −2.010355625, 0.382185085), b = (0.166835197, 0.284809606, 0.365383501).
        var p = NewParameter();
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01);

        StepWith(sgd, p, Gradients[0]);
        AssertClose([0.9791f, -1.9582f, 0.44205f], p.Span);
        AssertClose([0.11f, -0.22f, 0.305f], sgd.GetState(p)![Sgd.MomentumBuffer].Span);
        StepWith(sgd, p, Gradients[1]);
        AssertClose([0.892329710f, -1.936659420f, 0.435505105f], p.Span);
        AssertClose([0.508791000f, -0.217582000f, 0.178920500f], sgd.GetState(p)![Sgd.MomentumBuffer].Span);
        StepWith(sgd, p, Gradients[2]);
        AssertClose([0.906422213f, -2.010355625f, 0.382185085f], p.Span);
        AssertClose([0.166835197f, 0.284809606f, 0.365383501f], sgd.GetState(p)![Sgd.MomentumBuffer].Span);
    }

    [Fact]
    public void Dampening_applies_from_the_second_step_only()
    {
        // μ = 0.9, τ = 0.5, no Nesterov, η = 0.1: b₁ = g₁ (PyTorch does not dampen the first step);
        // b₂ = 0.9·(0.1, −0.2, 0.3) + 0.5·(0.4, 0, −0.1) = (0.29, −0.18, 0.22); b₃ = 0.9·b₂ + 0.5·g₃ = (0.111, 0.088, 0.298).
        var p = NewParameter();
        var sgd = new Sgd([p], lr: 0.1, momentum: 0.9, dampening: 0.5);

        StepWith(sgd, p, Gradients[0]);
        AssertClose([0.99f, -1.98f, 0.47f], p.Span);
        StepWith(sgd, p, Gradients[1]);
        AssertClose([0.961f, -1.962f, 0.448f], p.Span);
        StepWith(sgd, p, Gradients[2]);
        AssertClose([0.9499f, -1.9708f, 0.4182f], p.Span);
        AssertClose([0.111f, 0.088f, 0.298f], sgd.GetState(p)![Sgd.MomentumBuffer].Span);
    }

    [Fact]
    public void Plain_sgd_keeps_no_momentum_buffer_and_leaves_the_gradient_untouched()
    {
        var p = NewParameter();
        var sgd = new Sgd([p], lr: 0.5, weightDecay: 0.1);
        StepWith(sgd, p, Gradients[0]);
        // θ − η(g + λθ) = 1 − 0.5·(0.1 + 0.1) = 0.9; −2 − 0.5·(−0.2 − 0.2) = −1.8; 0.5 − 0.5·(0.3 + 0.05) = 0.325.
        AssertClose([0.9f, -1.8f, 0.325f], p.Span);
        AssertClose(Gradients[0], p.Grad!.Span, 0f);
        Assert.Empty(sgd.GetState(p)!.Tensors);
    }

    [Fact]
    public void Nesterov_without_momentum_is_refused_as_in_pytorch()
    {
        Assert.Throws<ArgumentException>(() => new Sgd([NewParameter()], lr: 0.1, nesterov: true));
    }

    [Fact]
    public void Minimising_a_quadratic_with_momentum_converges()
    {
        // f(θ) = Σ (θ − c)², minimum at c; gradients come from autograd.
        var c = Tensor.FromArray([3f, -1f, 0.25f]);
        var p = NewParameter();
        var sgd = new Sgd([p], lr: 0.05, momentum: 0.9);
        for (int i = 0; i < 300; i++)
        {
            sgd.ZeroGrad();
            (p - c).Square().Sum().Backward();
            sgd.Step();
        }
        AssertClose(c.ToArray(), p.Span, 1e-4f);
    }
}
