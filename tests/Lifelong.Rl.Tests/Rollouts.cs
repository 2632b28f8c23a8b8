namespace Lifelong.Rl.Tests;

/// <summary>Drives an environment for tests: observations and rewards of a run with a fixed action rule, resetting
/// (without a seed) whenever an episode ends.</summary>
internal static class Rollouts
{
    public static EnvironmentState Running(string name, params double[] values) => new(name, values, 0, EpisodeStatus.Running, null);

    /// <summary>Steps <paramref name="steps"/> times from the current state; each row is (observation…, reward, terminated, truncated).</summary>
    public static List<double[]> Continue(IEnvironment environment, int steps, Func<int, int> action)
    {
        var rows = new List<double[]>();
        var observation = new float[environment.ObservationSize];
        for (int t = 0; t < steps; t++)
        {
            var transition = environment.Step(action(t), observation);
            rows.Add([.. observation.Select(v => (double)v), transition.Reward, transition.Terminated ? 1 : 0, transition.Truncated ? 1 : 0]);
            if (transition.Done)
            {
                environment.Reset(observation);
                rows.Add([.. observation.Select(v => (double)v)]);
            }
        }
        return rows;
    }

    /// <summary>A fixed, varied action sequence: a hash of the step index.</summary>
    public static Func<int, int> Scrambled(int actionCount) => t => (int)((uint)(t * 2654435761u) >> 7) % actionCount;

    public static void Equal(List<double[]> expected, List<double[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
    }
}
