using Lifelong.Rl.Environments;

namespace Lifelong.Rl.Levels;

/// <summary>The continual-CartPole world of the C-CHAIN and TRAC code: CartPole-v1 cut at 400 steps, observation
/// shifts drawn per level (<see cref="ObservationShifts"/>), visited in order.</summary>
/// <remarks>
/// C-CHAIN's defaults (<c>control_train_aligned_vanilla.py</c>): 10 levels, σ = 2, a level every 200 iterations of 800
/// environment steps (160,000 steps), episodes cut at <c>max_timesteps = 400</c>. The agent side of that protocol
/// (one fresh reset per iteration, bootstrapping at the cut) belongs to the agent, not to this world.
/// </remarks>
public static class ContinualCartPole
{
    /// <summary>Steps per level in C-CHAIN: 200 iterations × 800 steps.</summary>
    public const long DefaultStepsPerLevel = 200 * 800;

    /// <summary>Builds the world; <paramref name="rng"/> draws the offsets.</summary>
    /// <param name="rng">The stream for the offsets (split a named stream from the run's root seed).</param>
    /// <param name="levelCount">Number of levels (10).</param>
    /// <param name="sigma">Standard deviation of each offset component (2).</param>
    /// <param name="stepsPerLevel">K (160,000).</param>
    /// <param name="maxEpisodeSteps">Episode cut (400).</param>
    public static NonStationaryEnvironment Create(Rng rng, int levelCount = 10, double sigma = 2, long stepsPerLevel = DefaultStepsPerLevel, int maxEpisodeSteps = 400)
    {
        var cartPole = new CartPole(maxEpisodeSteps);
        return new NonStationaryEnvironment(cartPole, ObservationShifts.Create(levelCount, cartPole.ObservationSize, sigma, rng), LevelSchedule.Sequential(levelCount, stepsPerLevel));
    }
}
