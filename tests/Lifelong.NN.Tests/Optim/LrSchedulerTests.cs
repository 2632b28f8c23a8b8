using static Lifelong.NN.Tests.Optim.OptimizerTestData;

namespace Lifelong.NN.Tests.Optim;

public class LrSchedulerTests
{
    private static Sgd NewSgd(double lr) => new([NewParameter()], lr: lr);

    private static double LrAfter(LrScheduler scheduler, int steps)
    {
        for (int i = 0; i < steps; i++) scheduler.Step();
        return scheduler.Optimizer.ParamGroups[0].Lr;
    }

    [Fact]
    public void Constant_keeps_the_rate_and_can_scale_the_first_steps()
    {
        Assert.Equal(0.1, LrAfter(new ConstantLr(NewSgd(0.1)), 50));
        var scaled = new ConstantLr(NewSgd(0.3), factor: 0.5, totalIters: 2);
        Assert.Equal(0.15, scaled.Optimizer.ParamGroups[0].Lr);   // t = 0
        Assert.Equal(0.15, LrAfter(scaled, 1));                    // t = 1
        Assert.Equal(0.3, LrAfter(scaled, 1));                     // t = 2 = T
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 0.5)]     // η₀·γ^⌊3/3⌋
    [InlineData(8, 0.25)]    // η₀·γ^⌊8/3⌋ = γ²
    [InlineData(9, 0.125)]
    public void Step_decays_by_gamma_every_k_steps(int step, double expected)
    {
        var scheduler = new StepLr(NewSgd(1.0), stepSize: 3, gamma: 0.5);
        Assert.Equal(expected, LrAfter(scheduler, step), 12);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(25, 0.01 + 0.99 * 0.85355339059327373)]   // (1 + cos(π/4))/2
    [InlineData(50, 0.01 + 0.99 * 0.5)]                   // (1 + cos(π/2))/2
    [InlineData(100, 0.01)]
    [InlineData(150, 0.01)]                               // held at η_min after T
    public void Cosine_annealing_follows_the_closed_form(int step, double expected)
    {
        var scheduler = new CosineAnnealingLr(NewSgd(1.0), tMax: 100, etaMin: 0.01);
        Assert.Equal(expected, LrAfter(scheduler, step), 12);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(5, 0.5)]                                  // η₀·t/W
    [InlineData(10, 1.0)]                                 // warmup done: cosine starts at η₀
    [InlineData(40, 0.5)]                                 // (1 + cos(π·30/60))/2
    [InlineData(70, 0.0)]
    [InlineData(80, 0.0)]
    public void Warmup_then_cosine_rises_linearly_then_anneals(int step, double expected)
    {
        var scheduler = new WarmupCosineLr(NewSgd(1.0), warmupSteps: 10, totalSteps: 70);
        Assert.Equal(expected, LrAfter(scheduler, step), 12);
    }

    [Fact]
    public void A_scheduler_applies_to_every_group_from_its_own_base_rate_including_groups_added_later()
    {
        var sgd = NewSgd(1.0);
        sgd.AddParamGroup([NewParameter()], g => g.Lr = 0.1);
        var scheduler = new StepLr(sgd, stepSize: 1, gamma: 0.5);
        scheduler.Step();
        sgd.AddParamGroup([NewParameter()], g => g.Lr = 2.0);
        scheduler.Step();
        Assert.Equal([0.25, 0.025, 0.5], scheduler.LastLrs);   // the third group joins at t = 2: 2·0.5²
        Assert.Equal([1.0, 0.1, 2.0], scheduler.BaseLrs);
    }

    [Fact]
    public void Setting_the_step_resumes_a_schedule()
    {
        var scheduler = new WarmupCosineLr(NewSgd(1.0), warmupSteps: 10, totalSteps: 70);
        scheduler.SetStep(40);
        Assert.Equal(0.5, scheduler.Optimizer.ParamGroups[0].Lr, 12);
        Assert.Equal(40, scheduler.LastStep);
    }
}
