using Lifelong.Tensors;
using static Lifelong.NN.Tests.Optim.OptimizerTestData;

namespace Lifelong.NN.Tests.Optim;

public class AdamTests
{
    [Fact]
    public void Adam_with_coupled_weight_decay_follows_pytorch_for_three_steps()
    {
        // θ₀ = (1, −2, 0.5), η = 0.1, β = (0.9, 0.999), ε = 1e-8, λ = 0.1 (coupled: g' = g + λθ).
        // Step 1: g' = (0.2, −0.4, 0.35); m = 0.1·g' = (0.02, −0.04, 0.035); v = 0.001·g'² = (4e-5, 1.6e-4, 1.225e-4);
        //         m̂/√v̂ = g'/|g'| = ±1, so θ = θ − 0.1·sign(g') (the familiar first Adam step) = (0.9, −1.9, 0.4).
        // Step 2: g' = (0.49, −0.19, −0.06); m = 0.9m + 0.1g' = (0.067, −0.055, 0.0255); v = 0.999v + 0.001g'²;
        //         θ = θ − η/(1 − 0.9²) · m / (√v/√(1 − 0.999²) + ε) = (0.805788911, −1.807539996, 0.346537847).
        // Step 3 likewise (bias corrections 1 − 0.9³, 1 − 0.999³).
        var p = NewParameter();
        var adam = new Adam([p], lr: 0.1, weightDecay: 0.1);

        StepWith(adam, p, Gradients[0]);
        AssertClose([0.9f, -1.9f, 0.4f], p.Span);
        AssertClose([0.02f, -0.04f, 0.035f], adam.GetState(p)![Adam.ExpAvg].Span);
        AssertClose([0.00004f, 0.00016f, 0.0001225f], adam.GetState(p)![Adam.ExpAvgSq].Span);
        StepWith(adam, p, Gradients[1]);
        AssertClose([0.805788911f, -1.807539996f, 0.346537847f], p.Span);
        AssertClose([0.067f, -0.055f, 0.0255f], adam.GetState(p)![Adam.ExpAvg].Span);
        AssertClose([0.000280060f, 0.000195940f, 0.000125977f], adam.GetState(p)![Adam.ExpAvgSq].Span);
        StepWith(adam, p, Gradients[2]);
        AssertClose([0.762999018f, -1.786961311f, 0.276827052f], p.Span);
        AssertClose([0.038357889f, -0.017575400f, 0.046415378f], adam.GetState(p)![Adam.ExpAvg].Span);
        Assert.Equal(3, adam.GetState(p)!.Step);
    }

    [Fact]
    public void Adamw_decays_the_weights_before_the_adam_step_without_touching_the_moments()
    {
        // θ₀ = (1, −2, 0.5), η = 0.1, β = (0.9, 0.999), ε = 1e-8, λ = 0.1 (decoupled: θ ← θ(1 − ηλ) = 0.99·θ first).
        // Step 1: θ = 0.99·θ₀ − 0.1·sign(g) = (0.89, −1.88, 0.395); m = 0.1·g (the raw gradient), v = 0.001·g².
        // Step 2: θ = 0.99·θ − η/(1 − 0.9²)·m/(√v/√(1 − 0.999²) + ε) = (0.792662364, −1.794194184, 0.351028148).
        // Step 3: (0.767064910, −1.816352921, 0.287209220).
        var p = NewParameter();
        var adamW = new AdamW([p], lr: 0.1, weightDecay: 0.1);

        StepWith(adamW, p, Gradients[0]);
        AssertClose([0.89f, -1.88f, 0.395f], p.Span);
        AssertClose([0.01f, -0.02f, 0.03f], adamW.GetState(p)![Adam.ExpAvg].Span);
        StepWith(adamW, p, Gradients[1]);
        AssertClose([0.792662364f, -1.794194184f, 0.351028148f], p.Span);
        AssertClose([0.000169990f, 0.000039960f, 0.000099910f], adamW.GetState(p)![Adam.ExpAvgSq].Span);
        StepWith(adamW, p, Gradients[2]);
        AssertClose([0.767064910f, -1.816352921f, 0.287209220f], p.Span);
        AssertClose([0.0141f, 0.0338f, 0.0353f], adamW.GetState(p)![Adam.ExpAvg].Span);
    }

    [Fact]
    public void Minimising_a_quadratic_with_adam_converges()
    {
        var c = Tensor.FromArray([3f, -1f, 0.25f]);
        var p = NewParameter();
        var adam = new Adam([p], lr: 0.05);
        var schedule = new CosineAnnealingLr(adam, tMax: 1000);
        for (int i = 0; i < 1000; i++)
        {
            adam.ZeroGrad();
            (p - c).Square().Sum().Backward();
            adam.Step();
            schedule.Step();
        }
        AssertClose(c.ToArray(), p.Span, 1e-3f);
    }

    [Fact]
    public void Parameters_without_a_gradient_are_skipped_and_get_no_state()
    {
        var used = NewParameter();
        var unused = NewParameter();
        var adam = new Adam([used, unused], lr: 0.1);
        StepWith(adam, used, Gradients[0]);
        AssertClose(Theta0, unused.Span, 0f);
        Assert.Null(adam.GetState(unused));
        Assert.NotNull(adam.GetState(used));
    }

    [Fact]
    public void Zero_grad_sets_every_gradient_to_null()
    {
        var p = NewParameter();
        var adam = new Adam([p]);
        p.Grad = Tensor.OnesLike(p);
        adam.ZeroGrad();
        Assert.Null(p.Grad);
    }
}
