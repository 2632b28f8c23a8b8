namespace Lifelong.Rl.Tests;

public class CartPoleTests
{
    [Fact]
    public void One_step_matches_the_equations_worked_by_hand()
    {
        // From (x, ẋ, θ, θ̇) = (0, 0, 0.1, 0), push right (F = +10); m = 0.1, M = 1.1, l = 0.5, g = 9.8, τ = 0.02:
        //   sin 0.1 = 0.0998334166468, cos 0.1 = 0.995004165278
        //   temp = (10 + 0.05·0²·sin θ)/1.1 = 9.09090909091
        //   θ̈ = (9.8·0.0998334166 − 0.9950041653·9.0909090909) / (0.5·(4/3 − 0.1·0.9900332889/1.1))
        //      = (0.978367483 − 9.045492412) / (0.5·1.243330307) = −8.067124929/0.621665154 = −12.9766400491
        //   ẍ = temp − 0.05·θ̈·cos θ/1.1 = 9.0909090909 + 0.5869 = 9.67780958637
        //   Euler (old values on the right): x = 0, ẋ = 0.02·9.6778 = 0.193556191727, θ = 0.1, θ̇ = 0.02·(−12.9766) = −0.259532800982
        var env = new CartPole();
        env.Restore(Rollouts.Running("cartpole", 0, 0, 0.1, 0));
        var (observation, reward, terminated, truncated) = env.Step(1);
        double[] state = env.Save().Values;
        Assert.Equal(0.0, state[0], 12);
        Assert.Equal(0.193556191727, state[1], 11);
        Assert.Equal(0.1, state[2], 12);
        Assert.Equal(-0.259532800982, state[3], 11);
        Assert.Equal([0f, (float)state[1], 0.1f, (float)state[3]], observation);
        Assert.Equal(1.0, reward);
        Assert.False(terminated);
        Assert.False(truncated);
    }

    [Fact]
    public void A_push_left_with_moving_state_updates_positions_from_the_old_velocities()
    {
        // From (0.1, −0.2, −0.05, 0.3), push left (F = −10): sin(−0.05) = −0.0499791693, cos = 0.9987502604
        //   temp = (−10 + 0.05·0.09·(−0.0499791693))/1.1 = −9.09111355115
        //   θ̈ = (9.8·(−0.0499791693) + 0.9987502604·9.0911135512)/(0.5·(4/3 − 0.1·0.9975020826/1.1)) = 13.8252074241
        //   ẍ = −9.0911135512 − 0.05·13.8252074241·0.9987502604/1.1 = −9.71874671091
        //   x = 0.1 + 0.02·(−0.2) = 0.096, ẋ = −0.2 + 0.02·ẍ = −0.394374934218,
        //   θ = −0.05 + 0.02·0.3 = −0.044, θ̇ = 0.3 + 0.02·θ̈ = 0.576504148481
        var env = new CartPole();
        env.Restore(Rollouts.Running("cartpole", 0.1, -0.2, -0.05, 0.3));
        env.Step(0);
        double[] state = env.Save().Values;
        Assert.Equal(0.096, state[0], 12);
        Assert.Equal(-0.394374934218, state[1], 11);
        Assert.Equal(-0.044, state[2], 12);
        Assert.Equal(0.576504148481, state[3], 11);
    }

    [Theory]
    [InlineData(2.39, 1.0, 0.0, 0.0, true)]     // x = 2.39 + 0.02·1 = 2.41 > 2.4
    [InlineData(2.37, 1.0, 0.0, 0.0, false)]    // x = 2.39 ≤ 2.4
    [InlineData(-2.39, -1.0, 0.0, 0.0, true)]   // x = −2.41 < −2.4
    [InlineData(0.0, 0.0, 0.205, 1.0, true)]    // θ = 0.225 > 12° = 0.20944 rad
    [InlineData(0.0, 0.0, 0.19, 0.5, false)]    // θ = 0.2 < 0.20944
    [InlineData(0.0, 0.0, -0.205, -1.0, true)]  // θ = −0.225
    public void Terminates_when_the_cart_leaves_the_track_or_the_pole_passes_twelve_degrees(double x, double xDot, double theta, double thetaDot, bool expected)
    {
        var env = new CartPole();
        env.Restore(Rollouts.Running("cartpole", x, xDot, theta, thetaDot));
        var (_, reward, terminated, _) = env.Step(1);
        Assert.Equal(expected, terminated);
        Assert.Equal(1.0, reward); // the terminating step is rewarded too, as in Gymnasium
    }

    [Fact]
    public void A_balancing_controller_is_truncated_at_exactly_five_hundred_steps()
    {
        // Pushing toward where the pole is heading (θ + 0.5 θ̇ > 0 → right) keeps it up; CartPole-v1 then cuts at 500.
        var env = new CartPole();
        var observation = env.Reset(seed: 3);
        for (int t = 1; ; t++)
        {
            var transition = env.Step(observation[2] + 0.5f * observation[3] > 0 ? 1 : 0, observation);
            Assert.False(transition.Terminated);
            if (transition.Truncated)
            {
                Assert.Equal(500, t);
                break;
            }
        }
    }

    [Fact]
    public void Pushing_toward_the_lean_alone_lets_the_pole_fall()
    {
        // Ignoring the angular velocity over-corrects into growing oscillations: the pole falls well before 500 steps.
        var env = new CartPole();
        var observation = env.Reset(seed: 3);
        int steps = 0;
        Transition transition;
        do
        {
            transition = env.Step(observation[2] > 0 ? 1 : 0, observation);
            steps++;
        }
        while (!transition.Done);
        Assert.True(transition.Terminated);
        Assert.InRange(steps, 10, 200);
    }

    [Fact]
    public void Reset_draws_every_value_between_minus_and_plus_five_hundredths()
    {
        var env = new CartPole();
        var values = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            env.Reset(seed: (ulong)i);
            values.AddRange(env.Save().Values);
        }
        Assert.All(values, v => Assert.InRange(v, -0.05, 0.05));
        Assert.True(values.Min() < -0.045 && values.Max() > 0.045, "800 uniform draws should come near both ends");
    }
}
