namespace Lifelong.Rl.Environments;

/// <summary>A saved environment: plain arrays, so a checkpoint can store it as it stores tensors and counters.</summary>
/// <param name="Name">The environment's <see cref="IEnvironment.Name"/>; restoring into another kind is refused.</param>
/// <param name="Values">The physical state in float64, in the order each environment documents (CartPole: x, ẋ, θ, θ̇).</param>
/// <param name="ElapsedSteps">Steps taken in the current episode.</param>
/// <param name="Status">Whether an episode is running, has ended, or none was started.</param>
/// <param name="Rng">The generator's <see cref="Rng.GetState"/> (seed first), or null before the first seeded reset.</param>
public sealed record EnvironmentState(string Name, double[] Values, int ElapsedSteps, EpisodeStatus Status, ulong[]? Rng);

/// <summary>Where an environment stands between calls.</summary>
public enum EpisodeStatus
{
    /// <summary>No reset yet: only <see cref="IEnvironment.Reset"/> is allowed.</summary>
    NotStarted,

    /// <summary>An episode is running: <see cref="IEnvironment.Step"/> is allowed.</summary>
    Running,

    /// <summary>The last step terminated or truncated the episode: reset before stepping again.</summary>
    Ended,
}
