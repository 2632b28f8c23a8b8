namespace Lifelong.Rl.Environments;

/// <summary>The allocating, Gymnasium-looking forms of <see cref="IEnvironment.Reset"/> and <see cref="IEnvironment.Step"/>.</summary>
public static class EnvironmentExtensions
{
    /// <summary><c>obs = env.reset(seed=seed)</c>.</summary>
    public static float[] Reset(this IEnvironment environment, ulong? seed = null)
    {
        var observation = new float[environment.ObservationSize];
        environment.Reset(observation, seed);
        return observation;
    }

    /// <summary><c>obs, reward, terminated, truncated = env.step(action)</c>.</summary>
    public static (float[] Observation, double Reward, bool Terminated, bool Truncated) Step(this IEnvironment environment, int action)
    {
        var observation = new float[environment.ObservationSize];
        var t = environment.Step(action, observation);
        return (observation, t.Reward, t.Terminated, t.Truncated);
    }
}
