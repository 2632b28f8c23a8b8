namespace Lifelong.Rl.Tests;

public class AcrobotTests
{
    [Theory]
    [InlineData(1.0, 0.5, 0.0, 0.0)]
    [InlineData(0.3, -1.0, 1.0, -2.0)]
    public void Without_torque_the_mechanical_energy_stays_nearly_constant(double theta1, double theta2, double omega1, double omega2)
    {
        // E = T + V of the two links (formula in Acrobot.Energy; with m = 1, l₁ = 1, l_c = 0.5, I = 1):
        //   T = ½·0.25 θ̇₁² + ½ θ̇₁² + ½(θ̇₁² + 0.25(θ̇₁+θ̇₂)² + (θ̇₁+θ̇₂)θ̇₁ cos θ₂) + ½(θ̇₁+θ̇₂)², V = −4.9 cos θ₁ − 9.8(cos θ₁ + ½ cos(θ₁+θ₂)).
        // The equations of motion come from this Lagrangian, so with τ = 0 only RK4's truncation error (dt = 0.2) moves
        // E: below 0.01 over 2 s from these states. The NIPS variant (no θ̇₁² sin θ₂ term) drifts by 0.3 to 3 here.
        var env = new Acrobot();
        double[] start = [theta1, theta2, omega1, omega2];
        env.Restore(Rollouts.Running("acrobot", start));
        double e0 = env.Energy(start);
        for (int t = 0; t < 10; t++)
        {
            env.Step(1);
            Assert.Equal(e0, env.Energy(env.Save().Values), 0.02);
        }
    }

    [Fact]
    public void Positive_torque_does_work_and_raises_the_energy()
    {
        // From rest hanging down, τ = +1 on the elbow: the elbow turns with the torque, so the power τ·θ̇₂ is positive and E rises.
        var env = new Acrobot();
        double[] rest = [0, 0, 0, 0];
        env.Restore(Rollouts.Running("acrobot", rest));
        double e0 = env.Energy(rest);
        env.Step(2);
        double[] state = env.Save().Values;
        Assert.True(state[3] > 0, "the elbow should turn in the direction of the torque");
        Assert.True(env.Energy(state) > e0 + 1e-3);
    }

    [Fact]
    public void Hanging_at_rest_without_torque_stays_and_is_rewarded_minus_one()
    {
        // θ = 0, θ̇ = 0 is the stable equilibrium: every derivative is 0 (up to cos(−π/2) ≈ 6e−17), so the observation
        // stays (cos, sin, cos, sin, θ̇₁, θ̇₂) = (1, 0, 1, 0, 0, 0) and the tip height −cos θ₁ − cos(θ₁+θ₂) = −2 < 1.
        var env = new Acrobot();
        env.Restore(Rollouts.Running("acrobot", 0, 0, 0, 0));
        var (observation, reward, terminated, _) = env.Step(1);
        Assert.Equal(1f, observation[0]);
        Assert.Equal(0f, observation[1], 1e-6f);
        Assert.Equal(1f, observation[2]);
        Assert.Equal(0f, observation[3], 1e-6f);
        Assert.Equal(-1.0, reward);
        Assert.False(terminated);
    }

    [Fact]
    public void Standing_upright_terminates_with_reward_zero()
    {
        // θ₁ = π, θ₂ = 0: the tip is at height −cos π − cos π = 2 > 1; one step from rest barely moves it.
        var env = new Acrobot();
        env.Restore(Rollouts.Running("acrobot", Math.PI - 0.01, 0, 0, 0));
        var (_, reward, terminated, _) = env.Step(1);
        Assert.True(terminated);
        Assert.Equal(0.0, reward);
    }

    [Fact]
    public void Angles_wrap_into_minus_pi_to_pi()
    {
        // θ₁ = π − 0.05 turning at 1 rad/s passes π within the 0.2 s step (θ₁ ≈ π + 0.15) and wraps to about −π + 0.15.
        var env = new Acrobot();
        env.Restore(Rollouts.Running("acrobot", Math.PI - 0.05, 0, 1, 0));
        env.Step(1);
        Assert.InRange(env.Save().Values[0], -Math.PI, -Math.PI + 0.3);
    }

    [Fact]
    public void Velocities_are_clipped_to_four_and_nine_pi()
    {
        var env = new Acrobot();
        env.Restore(Rollouts.Running("acrobot", 0, 0, 20, -40));
        env.Step(1);
        double[] state = env.Save().Values;
        Assert.Equal(Acrobot.MaxVelocity1, Math.Abs(state[2]));
        Assert.Equal(Acrobot.MaxVelocity2, Math.Abs(state[3]));
    }

    [Fact]
    public void Reset_draws_float32_values_within_a_tenth()
    {
        var env = new Acrobot();
        for (int i = 0; i < 100; i++)
        {
            var observation = env.Reset(seed: (ulong)i);
            double[] state = env.Save().Values;
            Assert.All(state, v => Assert.InRange(v, -0.1, 0.1));
            Assert.All(state, v => Assert.Equal(v, (double)(float)v)); // Gymnasium casts the initial state to float32
            Assert.Equal((float)Math.Cos(state[0]), observation[0]);
            Assert.Equal((float)Math.Sin(state[1]), observation[3]);
            Assert.Equal((float)state[3], observation[5]);
        }
    }

    [Fact]
    public void Without_torque_it_never_swings_up_and_is_truncated_at_five_hundred_steps()
    {
        // From near rest at the bottom (E ≈ −14.7) the tip cannot rise above height 1 without work done on it, which
        // with τ = 0 nothing does: the episode runs into the 500-step limit.
        var env = new Acrobot();
        var observation = env.Reset(seed: 0);
        int t = 0;
        Transition transition;
        do
        {
            transition = env.Step(1, observation);
            t++;
        }
        while (!transition.Done);
        Assert.True(transition.Truncated);
        Assert.False(transition.Terminated);
        Assert.Equal(500, t);
    }
}
