using Lifelong.Rl.Environments;

namespace Lifelong.Rl.Levels;

/// <summary>The continual classic-control worlds of the C-CHAIN and TRAC code: a Gymnasium task cut at 400 steps, with
/// observation shifts drawn per level (<see cref="ObservationShifts"/>) and visited in order.</summary>
/// <remarks>
/// C-CHAIN's defaults (<c>crl_gym_classic_control/control_train_aligned_vanilla.py</c>): 10 levels, σ = 2, a level
/// every 200 iterations of 800 environment steps (160,000 steps), every episode cut at <c>max_timesteps = 400</c>
/// whatever the task (CartPole-v1, Acrobot-v1; its default task is Acrobot). Its iterations always take exactly 800
/// steps, so its level switches fall on step counts that are multiples of 160,000, and the reset that starts the
/// iteration already sees the new level, as here. The agent side of that protocol (a fresh reset per iteration,
/// bootstrapping at the cut) belongs to the agent, not to this world.
/// </remarks>
public static class ContinualClassicControl
{
    /// <summary>Steps per level in C-CHAIN: 200 iterations × 800 steps.</summary>
    public const long DefaultStepsPerLevel = 200 * 800;

    /// <summary>Episode cut in C-CHAIN and TRAC (<c>max_timesteps</c>).</summary>
    public const int DefaultMaxEpisodeSteps = 400;

    /// <summary>Continual CartPole.</summary>
    /// <param name="rng">The stream for the offsets (split a named stream from the run's root seed).</param>
    /// <param name="levelCount">Number of levels (10).</param>
    /// <param name="sigma">Standard deviation of each offset component (2).</param>
    /// <param name="stepsPerLevel">K (160,000).</param>
    public static NonStationaryEnvironment CartPole(Rng rng, int levelCount = 10, double sigma = 2, long stepsPerLevel = DefaultStepsPerLevel) =>
        Create(new CartPole(DefaultMaxEpisodeSteps), rng, levelCount, sigma, stepsPerLevel);

    /// <summary>Continual Acrobot.</summary>
    /// <param name="rng">The stream for the offsets (split a named stream from the run's root seed).</param>
    /// <param name="levelCount">Number of levels (10).</param>
    /// <param name="sigma">Standard deviation of each offset component (2).</param>
    /// <param name="stepsPerLevel">K (160,000).</param>
    public static NonStationaryEnvironment Acrobot(Rng rng, int levelCount = 10, double sigma = 2, long stepsPerLevel = DefaultStepsPerLevel) =>
        Create(new Acrobot(DefaultMaxEpisodeSteps), rng, levelCount, sigma, stepsPerLevel);

    /// <summary>Any environment under the protocol's observation shifts, visited in order.</summary>
    /// <param name="environment">The task, with the time limit it should have.</param>
    /// <param name="rng">The stream for the offsets (split a named stream from the run's root seed).</param>
    /// <param name="levelCount">Number of levels (10).</param>
    /// <param name="sigma">Standard deviation of each offset component (2).</param>
    /// <param name="stepsPerLevel">K (160,000).</param>
    public static NonStationaryEnvironment Create(EpisodicEnvironment environment, Rng rng, int levelCount = 10, double sigma = 2, long stepsPerLevel = DefaultStepsPerLevel) =>
        new(environment, ObservationShifts.Create(levelCount, environment.ObservationSize, sigma, rng), LevelSchedule.Sequential(levelCount, stepsPerLevel));
}
