namespace Lifelong.Rl.Tests;

public class MountainCarTests
{
    [Fact]
    public void One_step_matches_the_update_worked_by_hand()
    {
        // From p = −0.5, v = 0, push right (a = 2): v = 0 + (1·0.001 + cos(−1.5)·(−0.0025)) = 0.001 − 0.0025·0.0707372017
        //   = 0.000823156996, p = −0.5 + v = −0.499176843004; reward −1.
        var env = new MountainCar();
        env.Restore(Rollouts.Running("mountaincar", -0.5, 0));
        var (observation, reward, terminated, _) = env.Step(2);
        double[] state = env.Save().Values;
        Assert.Equal(-0.499176843004, state[0], 11);
        Assert.Equal(0.000823156996, state[1], 11);
        Assert.Equal([(float)state[0], (float)state[1]], observation);
        Assert.Equal(-1.0, reward);
        Assert.False(terminated);
    }

    [Fact]
    public void The_left_wall_stops_the_car()
    {
        // From p = −1.19, v = −0.05, push left: v = −0.05 + (−0.001 − 0.0025·cos(−3.57)) = −0.051 + 0.0025·0.909629 = −0.0487259,
        //   p = −1.19 − 0.0487259 = −1.2387259 → clipped to −1.2, and a negative velocity at the wall becomes 0.
        var env = new MountainCar();
        env.Restore(Rollouts.Running("mountaincar", -1.19, -0.05));
        env.Step(0);
        Assert.Equal([-1.2, 0.0], env.Save().Values);
    }

    [Fact]
    public void Without_pushing_from_rest_the_car_only_rocks_in_the_valley_until_truncation()
    {
        // Without the engine, the car released at rest at p = −0.5 (height sin(−1.5)·0.45 + 0.55 = 0.1011) keeps at most its
        // starting energy: it rocks about the bottom p = −π/6 and never comes near the goal at 0.5. Truncated at 200.
        var env = new MountainCar();
        env.Restore(Rollouts.Running("mountaincar", -0.5, 0));
        var observation = new float[2];
        double highest = double.NegativeInfinity;
        for (int t = 1; t <= 200; t++)
        {
            var transition = env.Step(1, observation);
            highest = Math.Max(highest, observation[0]);
            Assert.False(transition.Terminated);
            Assert.Equal(t == 200, transition.Truncated);
        }
        Assert.InRange(highest, -0.53, -0.45);
    }

    [Fact]
    public void Pushing_right_only_cannot_climb_out()
    {
        // The engine is weaker than gravity on the slope: 0.001 < 0.0025·cos(3p) for |p| < 0.386, so from the bottom the
        // car stalls on the right slope (Moore 1990's point: it must swing back first).
        var env = new MountainCar();
        env.Restore(Rollouts.Running("mountaincar", -Math.PI / 6, 0));
        var observation = new float[2];
        Transition transition;
        do transition = env.Step(2, observation);
        while (!transition.Done);
        Assert.True(transition.Truncated);
        Assert.False(transition.Terminated);
    }

    [Fact]
    public void Pushing_with_the_velocity_pumps_energy_and_reaches_the_goal()
    {
        // The classic energy-pumping rule (push the way the car moves) climbs out within the 200-step limit.
        var env = new MountainCar();
        for (ulong seed = 0; seed < 5; seed++)
        {
            var observation = env.Reset(seed);
            Transition transition;
            do transition = env.Step(observation[1] >= 0 ? 2 : 0, observation);
            while (!transition.Done);
            Assert.True(transition.Terminated, $"seed {seed}");
            Assert.True(observation[0] >= 0.5f);
        }
    }

    [Fact]
    public void Friction_scales_the_old_velocity_before_the_forces_act()
    {
        // μ = 0.5 at p = −0.5, v = 0.04, no push: v = 0.04·0.5 + cos(−1.5)·(−0.0025) = 0.02 − 0.000176843004 = 0.019823156996.
        var env = new MountainCar { Friction = 0.5 };
        env.Restore(Rollouts.Running("mountaincar", -0.5, 0.04));
        env.Step(1);
        Assert.Equal(0.019823156996, env.Save().Values[1], 11);
    }

    [Fact]
    public void Reset_starts_at_rest_between_minus_six_and_minus_four_tenths()
    {
        var env = new MountainCar();
        for (ulong seed = 0; seed < 100; seed++)
        {
            env.Reset(seed);
            double[] state = env.Save().Values;
            Assert.InRange(state[0], -0.6, -0.4);
            Assert.Equal(0.0, state[1]);
        }
    }
}
