namespace Lifelong.Rl.Tests;

public class EnvironmentContractTests
{
    public static TheoryData<string> Names => ["cartpole", "acrobot", "mountaincar", "gridworld"];

    internal static EpisodicEnvironment Create(string name) => name switch
    {
        "cartpole" => new CartPole(),
        "acrobot" => new Acrobot(),
        "mountaincar" => new MountainCar(),
        "gridworld" => new GridWorld(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void The_same_seed_gives_the_same_episodes_and_another_seed_other_ones(string name)
    {
        List<double[]> Run(ulong seed)
        {
            var env = Create(name);
            var rows = new List<double[]> { env.Reset(seed).Select(v => (double)v).ToArray() };
            rows.AddRange(Rollouts.Continue(env, 600, Rollouts.Scrambled(env.ActionCount)));
            return rows;
        }
        Rollouts.Equal(Run(11), Run(11));
        Assert.NotEqual(Run(11).SelectMany(r => r), Run(12).SelectMany(r => r));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Restoring_a_saved_state_mid_episode_continues_to_the_bit(string name)
    {
        // Across episode ends too: the restored generator must draw the same initial states for the resets that follow.
        var original = Create(name);
        original.Reset(seed: 21);
        Rollouts.Continue(original, 37, Rollouts.Scrambled(original.ActionCount));
        var saved = original.Save();
        var expected = Rollouts.Continue(original, 700, t => Rollouts.Scrambled(original.ActionCount)(t + 37));

        var resumed = Create(name);
        resumed.Restore(saved);
        Assert.Equal(saved.ElapsedSteps, resumed.ElapsedSteps);
        Rollouts.Equal(expected, Rollouts.Continue(resumed, 700, t => Rollouts.Scrambled(resumed.ActionCount)(t + 37)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Misuse_is_refused_with_a_message_that_says_what_to_do(string name)
    {
        var env = Create(name);
        var observation = new float[env.ObservationSize];
        Assert.Contains("seed", Assert.Throws<InvalidOperationException>(() => env.Reset(observation)).Message);
        Assert.Contains("Reset", Assert.Throws<InvalidOperationException>(() => env.Step(0, observation)).Message);
        env.Reset(observation, seed: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(env.ActionCount, observation));
        Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(-1, observation));
        Assert.Throws<ArgumentException>(() => env.Step(0, new float[env.ObservationSize + 1]));
        Assert.Contains("no parameter", Assert.Throws<ArgumentException>(() => env.SetParameter("wind", 1)).Message);
        Assert.Throws<ArgumentException>(() => env.Restore(new EnvironmentState("elsewhere", [], 0, EpisodeStatus.Running, null)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Stepping_after_the_episode_ended_is_refused_until_a_reset(string name)
    {
        var env = Create(name);
        var observation = env.Reset(seed: 2);
        var action = Rollouts.Scrambled(env.ActionCount);
        int t = 0;
        while (!env.Step(action(t++), observation).Done) { }
        Assert.InRange(t, 1, env.MaxEpisodeSteps);
        Assert.Contains("ended", Assert.Throws<InvalidOperationException>(() => env.Step(0, observation)).Message);
        env.Reset(observation);
        env.Step(0, observation);
    }

    [Fact]
    public void The_time_limits_are_those_of_the_gymnasium_registrations()
    {
        // gymnasium/envs/__init__.py: CartPole-v1 500, Acrobot-v1 500, MountainCar-v0 200.
        Assert.Equal(500, new CartPole().MaxEpisodeSteps);
        Assert.Equal(500, new Acrobot().MaxEpisodeSteps);
        Assert.Equal(200, new MountainCar().MaxEpisodeSteps);
    }

    [Fact]
    public void A_shorter_time_limit_truncates_on_its_last_step()
    {
        var env = new CartPole(maxEpisodeSteps: 5);
        env.Reset(seed: 0);
        for (int t = 1; t <= 5; t++) Assert.Equal(t == 5, env.Step(t % 2).Truncated);
    }
}
