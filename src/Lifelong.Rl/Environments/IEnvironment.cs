namespace Lifelong.Rl.Environments;

/// <summary>An episodic environment with a discrete action set, shaped like Gymnasium's <c>Env</c>: <c>reset(seed)</c> →
/// observation; <c>step(action)</c> → observation, reward, terminated, truncated.</summary>
/// <remarks>
/// The members write observations into a caller's span so that vectorized stepping allocates nothing; the extension
/// methods in <see cref="EnvironmentExtensions"/> give the allocating, Gymnasium-looking form. Randomness comes only from
/// the <see cref="Rng"/> that <see cref="Reset"/> seeds: the first reset must pass a seed (Gymnasium would draw one
/// from the operating system, which no run could reproduce), later resets without one continue the same stream, as
/// Gymnasium's <c>np_random</c> does. The time limit (Gymnasium's <c>TimeLimit</c> wrapper) is part of the environment:
/// <c>truncated</c> becomes true on the step that reaches <see cref="MaxEpisodeSteps"/>.
/// </remarks>
public interface IEnvironment
{
    /// <summary>A short name (<c>cartpole</c>, <c>acrobot</c>, ...), also stored in <see cref="EnvironmentState"/>.</summary>
    string Name { get; }

    /// <summary>Length of an observation vector.</summary>
    int ObservationSize { get; }

    /// <summary>Number of discrete actions; actions are 0 … <see cref="ActionCount"/> − 1.</summary>
    int ActionCount { get; }

    /// <summary>The step at which an episode is truncated (Gymnasium's <c>max_episode_steps</c>).</summary>
    int MaxEpisodeSteps { get; }

    /// <summary>Steps taken in the current episode.</summary>
    int ElapsedSteps { get; }

    /// <summary>Starts an episode and writes its first observation.</summary>
    /// <param name="observation">(<see cref="ObservationSize"/>) destination.</param>
    /// <param name="seed">Reseeds the environment's generator; null continues the current stream (an error before the first seed).</param>
    void Reset(Span<float> observation, ulong? seed = null);

    /// <summary>Applies <paramref name="action"/> for one step and writes the next observation.</summary>
    /// <param name="action">0 … <see cref="ActionCount"/> − 1.</param>
    /// <param name="observation">(<see cref="ObservationSize"/>) destination.</param>
    /// <exception cref="InvalidOperationException">Before the first reset, or after the episode ended without a reset.</exception>
    Transition Step(int action, Span<float> observation);

    /// <summary>A copy of everything a resumed run needs to continue bit for bit: physical state, step count, generator.</summary>
    EnvironmentState Save();

    /// <summary>Restores a state from <see cref="Save"/> of an environment of the same kind.</summary>
    void Restore(EnvironmentState state);
}

/// <summary>What one step returned besides the observation.</summary>
/// <param name="Reward">The step's reward.</param>
/// <param name="Terminated">The episode reached a terminal state of the task (no bootstrapping past it).</param>
/// <param name="Truncated">The time limit cut the episode (an agent should bootstrap from the last observation).</param>
public readonly record struct Transition(double Reward, bool Terminated, bool Truncated)
{
    /// <summary>The episode is over, either way; the next call must be a reset.</summary>
    public bool Done => Terminated || Truncated;
}
