namespace Lifelong.Rl.Tests;

public class VectorEnvironmentTests
{
    [Theory]
    [MemberData(nameof(EnvironmentContractTests.Names), MemberType = typeof(EnvironmentContractTests))]
    public void Each_copy_equals_a_single_environment_stepped_alone(string name)
    {
        const int copies = 3, steps = 520; // past Acrobot's 500-step limit, so every kind ends an episode
        var vector = new VectorEnvironment(_ => EnvironmentContractTests.Create(name), copies);
        int actionCount = vector.ActionCount;
        int Action(int t, int i) => Rollouts.Scrambled(actionCount)(t * 7 + i);
        vector.Reset(seed: 99);
        var observations = new List<float[]> { (float[])vector.Observations.Clone() };
        var finals = new List<(int T, int Copy, float[] Final, double Reward, bool Terminated, bool Truncated)>();
        var actions = new int[copies];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < copies; i++) actions[i] = Action(t, i);
            vector.Step(actions);
            observations.Add((float[])vector.Observations.Clone());
            for (int i = 0; i < copies; i++)
                if (vector.Terminated[i] || vector.Truncated[i])
                    finals.Add((t, i, vector.FinalObservations.AsSpan(i * vector.ObservationSize, vector.ObservationSize).ToArray(), vector.Rewards[i], vector.Terminated[i], vector.Truncated[i]));
        }
        Assert.NotEmpty(finals);

        for (int i = 0; i < copies; i++)
        {
            var single = EnvironmentContractTests.Create(name);
            int n = single.ObservationSize;
            var observation = single.Reset(VectorEnvironment.CopySeed(99, i));
            Assert.Equal(observation, observations[0].AsSpan(i * n, n).ToArray());
            for (int t = 0; t < steps; t++)
            {
                var transition = single.Step(Action(t, i), observation);
                if (transition.Done)
                {
                    var final = finals.Single(f => f.T == t && f.Copy == i);
                    Assert.Equal(observation, final.Final);
                    Assert.Equal((transition.Reward, transition.Terminated, transition.Truncated), (final.Reward, final.Terminated, final.Truncated));
                    single.Reset(observation);
                }
                else Assert.DoesNotContain(finals, f => f.T == t && f.Copy == i);
                Assert.Equal(observation, observations[t + 1].AsSpan(i * n, n).ToArray());
            }
        }
    }

    [Fact]
    public void Copies_start_from_different_seeds()
    {
        var vector = new VectorEnvironment(_ => new CartPole(), 4);
        vector.Reset(seed: 0);
        var rows = Enumerable.Range(0, 4).Select(i => vector.Observations.AsSpan(i * 4, 4).ToArray()).ToList();
        for (int a = 0; a < 4; a++)
            for (int b = a + 1; b < 4; b++) Assert.NotEqual(rows[a], rows[b]);
    }

    [Fact]
    public void A_restored_vector_continues_to_the_bit()
    {
        var vector = new VectorEnvironment(_ => new CartPole(), 5);
        vector.Reset(seed: 4);
        var actions = new int[5];
        void Run(VectorEnvironment v, int from, int count, List<float> record)
        {
            for (int t = from; t < from + count; t++)
            {
                for (int i = 0; i < 5; i++) actions[i] = Rollouts.Scrambled(2)(t * 5 + i);
                v.Step(actions);
                record.AddRange(v.Observations);
                record.AddRange(v.Rewards.Select(r => (float)r));
            }
        }
        Run(vector, 0, 40, []);
        var saved = vector.Save();
        var expected = new List<float>();
        Run(vector, 40, 200, expected);

        var resumed = new VectorEnvironment(_ => new CartPole(), 5);
        resumed.Restore(saved);
        var actual = new List<float>();
        Run(resumed, 40, 200, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_wrong_number_of_actions_is_refused()
    {
        var vector = new VectorEnvironment(_ => new MountainCar(), 2);
        vector.Reset(seed: 0);
        Assert.Contains("3 actions for 2 copies", Assert.Throws<ArgumentException>(() => vector.Step([0, 1, 2])).Message);
    }
}
