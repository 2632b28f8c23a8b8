namespace Lifelong.Rl.Tests;

public class LevelTests
{
    private static Level[] Shifts(int count = 4) => ObservationShifts.Create(count, 4, sigma: 2, new Rng(2024));

    [Fact]
    public void Level_zero_leaves_observations_unchanged()
    {
        var plain = new CartPole();
        var shifted = new NonStationaryEnvironment(new CartPole(), Shifts(), LevelSchedule.Sequential(4, 1000));
        Assert.Equal(plain.Reset(seed: 5), shifted.Reset(seed: 5));
        Rollouts.Equal(Rollouts.Continue(plain, 300, Rollouts.Scrambled(2)), Rollouts.Continue(shifted, 300, Rollouts.Scrambled(2)));
        Assert.Equal(0, shifted.LevelIndex);
    }

    [Fact]
    public void A_later_level_adds_its_offset_to_reset_and_step_observations_and_leaves_the_dynamics_alone()
    {
        // K = 10: steps 0–9 run in level 0, from step 10 on in level 1. The plain environment with the same seed and
        // actions gives the unshifted observations; the shifted one must equal float32(plain + offset) from step 10 on.
        var levels = Shifts();
        double[] offset = [.. levels[1].ObservationOffset!];
        var plain = new CartPole(maxEpisodeSteps: 8);
        var shifted = new NonStationaryEnvironment(new CartPole(maxEpisodeSteps: 8), levels, LevelSchedule.Sequential(4, 10));
        var p = plain.Reset(seed: 3);
        var s = shifted.Reset(seed: 3);
        for (int t = 0; t < 30; t++)
        {
            int action = Rollouts.Scrambled(2)(t);
            var (pt, st) = (plain.Step(action, p), shifted.Step(action, s));
            Assert.Equal(pt, st);
            Assert.Equal(t >= 10 && t < 20 ? 1 : t >= 20 ? 2 : 0, shifted.LevelIndex);
            Assert.Equal(t is 10 or 20, shifted.LevelSwitched);
            double[] expectedOffset = t < 10 ? new double[4] : t < 20 ? offset : [.. levels[2].ObservationOffset!];
            for (int i = 0; i < 4; i++) Assert.Equal((float)(p[i] + expectedOffset[i]), s[i]);
            if (pt.Done)
            {
                // Episodes of 8 steps end at t = 7, 15, 23: the reset at t = 16 runs in level 1 and is shifted too.
                plain.Reset(p);
                shifted.Reset(s);
                for (int i = 0; i < 4; i++) Assert.Equal((float)(p[i] + (t + 1 < 10 ? 0 : t + 1 < 20 ? offset[i] : levels[2].ObservationOffset![i])), s[i]);
            }
        }
    }

    [Fact]
    public void Offsets_follow_the_protocol_distribution_and_do_not_depend_on_the_level_count()
    {
        var many = ObservationShifts.Create(2001, 4, sigma: 2, new Rng(7));
        Assert.All(many[0].ObservationOffset!, v => Assert.Equal(0.0, v));
        var values = many.Skip(1).SelectMany(l => l.ObservationOffset!).ToArray();
        double mean = values.Average();
        double std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.1, 0.1);       // 8000 draws: the standard error of the mean is 2/√8000 = 0.022
        Assert.InRange(std, 1.93, 2.07);       // and of the standard deviation about 2/√16000 = 0.016
        var few = ObservationShifts.Create(3, 4, sigma: 2, new Rng(7));
        for (int l = 0; l < 3; l++) Assert.Equal(many[l].ObservationOffset!, few[l].ObservationOffset!);
    }

    [Fact]
    public void Dynamics_levels_set_parameters_and_unnamed_ones_return_to_their_defaults()
    {
        Level[] levels = [Level.Default, Level.WithParameters(("length", 1.0), ("gravity", 12.0)), Level.WithParameters(("masspole", 0.3))];
        var env = new NonStationaryEnvironment(new CartPole(), levels, LevelSchedule.WithReturn(3, 5));
        var cartPole = (CartPole)env.Inner;
        var observation = env.Reset(seed: 0);
        var seen = new List<(double Length, double Gravity, double MassPole)>();
        for (int t = 0; t < 20; t++)
        {
            if (env.Step(t % 2, observation).Done) env.Reset(observation);
            seen.Add((cartPole.Length, cartPole.Gravity, cartPole.MassPole));
        }
        Assert.Equal((0.5, 9.8, 0.1), seen[4]);
        Assert.Equal((1.0, 12.0, 0.1), seen[5]);
        Assert.Equal((0.5, 9.8, 0.3), seen[10]);  // length and gravity back to their defaults
        Assert.Equal((0.5, 9.8, 0.1), seen[15]);  // the returning level 0
    }

    [Fact]
    public void A_changed_world_steps_like_a_plain_environment_built_with_those_constants()
    {
        var env = new NonStationaryEnvironment(new CartPole(), [Level.WithParameters(("length", 0.25), ("force_mag", 15.0))], LevelSchedule.Sequential(1, 100));
        var plain = new CartPole { Length = 0.25, ForceMagnitude = 15.0 };
        Assert.Equal(plain.Reset(seed: 8), env.Reset(seed: 8));
        Rollouts.Equal(Rollouts.Continue(plain, 200, Rollouts.Scrambled(2)), Rollouts.Continue(env, 200, Rollouts.Scrambled(2)));
        // and it differs from the default world
        var standard = new CartPole();
        standard.Reset(seed: 8);
        Assert.NotEqual(Rollouts.Continue(standard, 50, Rollouts.Scrambled(2)).SelectMany(r => r), Rollouts.Continue(plain, 50, Rollouts.Scrambled(2)).SelectMany(r => r));
    }

    [Fact]
    public void A_returning_level_reproduces_the_earlier_world_exactly()
    {
        // Schedule [0, 1, 2, 0] with K = 60, each level both shifting observations and changing the dynamics; the agent
        // resets with seed 7 at the start of every visit and plays the same actions. Visits 0 and 3 must match to the bit.
        var shifts = Shifts(3);
        Level[] levels =
        [
            shifts[0] with { Parameters = new Dictionary<string, double> { ["gravity"] = 9.8 } },
            shifts[1] with { Parameters = new Dictionary<string, double> { ["length"] = 0.8 } },
            shifts[2] with { Parameters = new Dictionary<string, double> { ["force_mag"] = 5.0 } },
        ];
        var env = new NonStationaryEnvironment(new CartPole(), levels, LevelSchedule.WithReturn(3, 60));
        var visits = new List<List<double[]>>();
        for (int visit = 0; visit < 4; visit++)
        {
            var observation = env.Reset(seed: 7);
            Assert.Equal(visit > 0, env.LevelSwitched);
            var rows = new List<double[]> { observation.Select(v => (double)v).ToArray() };
            rows.AddRange(Rollouts.Continue(env, 60, Rollouts.Scrambled(2)));
            visits.Add(rows);
        }
        Rollouts.Equal(visits[0], visits[3]);
        Assert.NotEqual(visits[0].SelectMany(r => r), visits[1].SelectMany(r => r));
        Assert.Equal(0, env.LevelIndex);
        Assert.Equal(3, env.SchedulePosition);
    }

    [Fact]
    public void A_moving_goal_changes_which_cell_pays()
    {
        Level[] goals = [Level.Default, Level.WithParameters(("goal_row", 0), ("goal_column", 0))];
        var env = new NonStationaryEnvironment(new GridWorld(size: 3), goals, LevelSchedule.Sequential(2, 4));
        env.Reset(seed: 0);
        void Place(int row, int column, int elapsed) => env.Inner.Restore(env.Inner.Save() with { Values = [row, column], ElapsedSteps = elapsed });
        Place(2, 1, 0);
        Assert.Equal(1.0, env.Step(1, new float[9]).Reward);     // step 0, level 0: (2, 2) is the goal
        env.Reset(new float[9]);
        for (int t = 1; t < 4; t++) env.Step(0, new float[9]);
        Place(0, 1, 3);
        Assert.Equal(1.0, env.Step(3, new float[9]).Reward);     // step 4, level 1: (0, 0) is the goal
        Assert.True(env.LevelSwitched);
    }

    [Fact]
    public void A_resumed_run_continues_in_the_same_level_to_the_bit()
    {
        static NonStationaryEnvironment Make() => new(new MountainCar(), [Level.Default, Level.WithParameters(("friction", 0.01), ("force", 0.0015))], LevelSchedule.WithReturn(2, 150));
        var original = Make();
        original.Reset(seed: 1);
        Rollouts.Continue(original, 149, Rollouts.Scrambled(3));
        var saved = original.Save();
        var expected = Rollouts.Continue(original, 400, Rollouts.Scrambled(3));

        var resumed = Make();
        resumed.Restore(saved);
        Assert.Equal(0, resumed.LevelIndex);
        Rollouts.Equal(expected, Rollouts.Continue(resumed, 400, Rollouts.Scrambled(3)));
        Assert.Equal(original.TotalSteps, resumed.TotalSteps);
        Assert.Equal(original.SchedulePosition, resumed.SchedulePosition);
    }

    [Fact]
    public void A_level_naming_a_parameter_the_environment_lacks_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new NonStationaryEnvironment(new MountainCar(), [Level.WithParameters(("pole_length", 1))], LevelSchedule.Sequential(1, 10)));
        Assert.Contains("pole_length", error.Message);
        Assert.Contains("friction", error.Message);
        Assert.Throws<ArgumentException>(() => new NonStationaryEnvironment(new MountainCar(), [Level.Default], LevelSchedule.Sequential(2, 10)));
        Assert.Throws<ArgumentException>(() => new NonStationaryEnvironment(new MountainCar(), Shifts(2), LevelSchedule.Sequential(2, 10)));
    }

    [Fact]
    public void Continual_classic_control_has_the_protocol_defaults()
    {
        var cartPole = ContinualClassicControl.CartPole(new Rng(0));
        var acrobot = ContinualClassicControl.Acrobot(new Rng(0));
        foreach (var env in new[] { cartPole, acrobot })
        {
            Assert.Equal(10, env.Levels.Count);
            Assert.Equal(160_000, env.Schedule.StepsPerLevel);
            Assert.Equal(400, env.MaxEpisodeSteps);
            Assert.All(env.Levels[0].ObservationOffset!, v => Assert.Equal(0.0, v));
            Assert.All(env.Levels.Skip(1), l => Assert.Contains(l.ObservationOffset!, v => v != 0));
        }
        Assert.Equal(4, cartPole.Levels[1].ObservationOffset!.Count);
        Assert.Equal(6, acrobot.Levels[1].ObservationOffset!.Count);
    }

    [Fact]
    public void The_reset_at_a_level_boundary_already_sees_the_new_level()
    {
        // C-CHAIN switches at the start of the iteration and then resets: after exactly K steps the reset is shifted.
        var env = ContinualClassicControl.CartPole(new Rng(0), stepsPerLevel: 30);
        var plain = new CartPole(400);
        var observation = env.Reset(seed: 1);
        plain.Reset(seed: 1);
        for (int t = 0; t < 30; t++)
        {
            if (env.Step(t % 2, observation).Done) env.Reset(observation);
            if (plain.Step(t % 2, new float[4]).Done) plain.Reset(new float[4]);
        }
        Assert.Equal(0, env.LevelIndex);
        var shifted = env.Reset();
        var unshifted = plain.Reset();
        Assert.True(env.LevelSwitched);
        Assert.Equal(1, env.LevelIndex);
        for (int i = 0; i < 4; i++) Assert.Equal((float)(unshifted[i] + env.Levels[1].ObservationOffset![i]), shifted[i]);
    }

    [Fact]
    public void Vectorized_levels_switch_together()
    {
        var vector = new VectorEnvironment(_ => new NonStationaryEnvironment(new CartPole(), Shifts(), LevelSchedule.Sequential(4, 25)), 3);
        vector.Reset(seed: 0);
        for (int t = 0; t < 60; t++)
        {
            vector.Step([t % 2, (t + 1) % 2, 1]);
            Assert.All(vector.Copies, c => Assert.Equal(t / 25, ((NonStationaryEnvironment)c).LevelIndex));
        }
    }
}
