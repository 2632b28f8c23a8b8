using Lifelong.Methods;

namespace Lifelong.Tests.Methods;

public class HareTortoiseTests
{
    [Fact]
    public void Runs_on_two_tiny_tasks() => MethodRuns.Smoke("hare-tortoise");

    [Fact]
    public void The_tortoise_is_an_ema_of_the_hare_and_is_copied_back_on_schedule()
    {
        var learner = MethodRuns.Learner("hare-tortoise:ema=0.9,reset-every=2", tasks: 1);
        var method = (HareTortoise)learner.Methods[0];
        learner.BeginRun();
        learner.BeginTask(learner.Scenario.GetTask(0));
        var theta0 = MethodRuns.Values(learner.Network);
        learner.Step(learner.NextBatch());
        var theta1 = MethodRuns.Values(learner.Network);

        // θ_T = 0.9·θ₀ + 0.1·θ₁ after one step.
        foreach (var (name, p) in learner.Network.NamedParameters())
            Assert.Equal(theta0[name].Zip(theta1[name], (a, b) => 0.9f * a + 0.1f * b), method.Tortoise[p].ToArray(), (a, b) => Math.Abs(a - b) < 1e-7);

        learner.Step(learner.NextBatch());
        foreach (var (_, p) in learner.Network.NamedParameters()) Assert.Equal(method.Tortoise[p].ToArray(), p.ToArray());
    }

    [Fact]
    public void An_interrupted_run_resumes_exactly() => MethodRuns.AssertResumesExactly("hare-tortoise:ema=0.5,reset-every=4");
}
