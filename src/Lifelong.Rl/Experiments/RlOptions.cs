using Lifelong.Catalog;
using Lifelong.Rl.Environments;

namespace Lifelong.Rl.Experiments;

/// <summary>The world of an RL run and how it is measured; the agent and methods are given beside it (<see cref="RlConfig"/>).</summary>
/// <param name="Environment">cartpole, acrobot or mountain-car (<c>continual-cartpole</c> and <c>continual-acrobot</c> are the same
/// worlds: the continual protocol comes from the levels).</param>
/// <param name="Levels">Levels, each one observation offset drawn from N(0, σ²) per dimension, level 0 unshifted (C-CHAIN: 10); 1 is a stationary run.</param>
/// <param name="IterationsPerLevel">Agent iterations per level visit (C-CHAIN: 200 iterations of 800 steps).</param>
/// <param name="Sigma">σ of the offsets (C-CHAIN: 2).</param>
/// <param name="EpisodeCap">Episode length limit; null: 400 for CartPole and Acrobot (C-CHAIN's <c>max_timesteps</c>), 200 for MountainCar.</param>
/// <param name="ReturnTo">Visit this level once more after the last one, to measure forgetting; null: no revisit.</param>
/// <param name="TellBoundaries">Call the methods' task hooks at level switches; false: the agent is not told, and the whole run is one task.</param>
/// <param name="Threshold">The return a level counts as reached at (steps to threshold); null: 195 for CartPole, −100 for Acrobot, −110 for MountainCar.</param>
/// <param name="LastEpisodes">A visit's final return is the mean over this many of its last episodes.</param>
/// <param name="RevisitIterations">A revisit's return is the mean over this many of its first iterations.</param>
/// <param name="ProbeSize">Recent observations the plasticity probes run on at the end of each visit.</param>
/// <param name="CheckpointEvery">Checkpoint every this many iterations (and after the last).</param>
public sealed record RlOptions(
    string Environment = "continual-cartpole",
    [Positive(Max = 10_000)] int Levels = 10,
    [Positive(Max = 1_000_000)] int IterationsPerLevel = 200,
    [NonNegative] double Sigma = 2,
    [Positive(Max = 1_000_000)] int? EpisodeCap = null,
    [NonNegative] int? ReturnTo = null,
    bool TellBoundaries = true,
    double? Threshold = null,
    [Positive(Max = 1_000_000)] int LastEpisodes = 20,
    [Positive(Max = 1_000_000)] int RevisitIterations = 5,
    [Positive(Max = 100_000)] int ProbeSize = 512,
    [Positive(Max = 1_000_000)] int CheckpointEvery = 10)
{
    /// <summary>The environments by name.</summary>
    public static IReadOnlyList<string> Environments { get; } = ["cartpole", "continual-cartpole", "acrobot", "continual-acrobot", "mountain-car"];

    /// <summary>A fresh environment of <see cref="Environment"/> with its episode cap.</summary>
    /// <exception cref="ConfigurationException">Unknown environment.</exception>
    public EpisodicEnvironment CreateEnvironment() => Environment switch
    {
        "cartpole" or "continual-cartpole" => new CartPole(EpisodeCap ?? 400),
        "acrobot" or "continual-acrobot" => new Acrobot(EpisodeCap ?? 400),
        "mountain-car" => new MountainCar(EpisodeCap ?? 200),
        _ => throw new ConfigurationException($"unknown environment '{Environment}'.{Spelling.Suggest(Environment, Environments)} Environments: {string.Join(", ", Environments)}."),
    };

    /// <summary>The threshold return in force.</summary>
    public double ThresholdReturn => Threshold ?? (Environment.EndsWith("cartpole", StringComparison.Ordinal) ? 195 : Environment.EndsWith("acrobot", StringComparison.Ordinal) ? -100 : -110);

    /// <summary>Checks the combination of settings.</summary>
    /// <exception cref="ConfigurationException">The revisited level does not exist, or the environment is unknown.</exception>
    public void Validate()
    {
        CreateEnvironment();
        if (ReturnTo is { } level && level >= Levels)
            throw new ConfigurationException($"return-to {level}: there are levels 0..{Levels - 1}; pick one of them or raise --levels.");
    }
}
