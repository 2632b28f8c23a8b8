using System.Globalization;
using System.Text.Json.Serialization;
using Lifelong.Catalog;
using Lifelong.Rl.Environments;
using Lifelong.Rl.Levels;
using Lifelong.Tensors;

namespace Lifelong.Rl.Experiments;

/// <summary>The world of an RL run and how it is measured; the agent and methods are given beside it (<see cref="RlConfig"/>).</summary>
/// <param name="Environment">cartpole, acrobot, mountain-car or gridworld (<c>continual-cartpole</c> and <c>continual-acrobot</c> are the
/// same worlds: the continual protocol comes from the levels).</param>
/// <param name="Levels">Levels (C-CHAIN: 10); 1 is a stationary run. What changes between them is <paramref name="Change"/>.</param>
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
/// <param name="Change">What a level changes. null (or <c>observation</c>): each level adds one observation offset drawn from
/// N(0, σ²) per dimension, level 0 unshifted (the continual classic-control protocol). Otherwise the world's parameters,
/// one comma list of per-level values per parameter, lists joined by '+': <c>length=0.5,1,2</c> (CartPole's pole),
/// <c>friction=0,0.01,0.02+force=0.001,0.0015,0.002</c> (MountainCar), <c>goal_row=0,4,4+goal_column=0,0,4</c> (the
/// gridworld's goal: a reward change). Each list holds one value per level.</param>
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
    [Positive(Max = 1_000_000)] int CheckpointEvery = 10,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Change = null)
{
    /// <summary>The environments by name.</summary>
    public static IReadOnlyList<string> Environments { get; } = ["cartpole", "continual-cartpole", "acrobot", "continual-acrobot", "mountain-car", "gridworld"];

    /// <summary>A fresh environment of <see cref="Environment"/> with its episode cap.</summary>
    /// <exception cref="ConfigurationException">Unknown environment.</exception>
    public EpisodicEnvironment CreateEnvironment() => Environment switch
    {
        "cartpole" or "continual-cartpole" => new CartPole(EpisodeCap ?? 400),
        "acrobot" or "continual-acrobot" => new Acrobot(EpisodeCap ?? 400),
        "mountain-car" => new MountainCar(EpisodeCap ?? 200),
        "gridworld" => new GridWorld(maxEpisodeSteps: EpisodeCap ?? 100),
        _ => throw new ConfigurationException($"unknown environment '{Environment}'.{Spelling.Suggest(Environment, Environments)} Environments: {string.Join(", ", Environments)}."),
    };

    /// <summary>The threshold return in force.</summary>
    public double ThresholdReturn => Threshold ?? Environment switch
    {
        "cartpole" or "continual-cartpole" => 195,
        "acrobot" or "continual-acrobot" => -100,
        "gridworld" => 0.9,
        _ => -110,
    };

    /// <summary>The levels of a run: observation offsets drawn from <paramref name="rng"/>, or the parameter values of <see cref="Change"/>.</summary>
    /// <exception cref="ConfigurationException">A malformed change, a parameter the environment does not have, or a list whose length is not <see cref="Levels"/>.</exception>
    public IReadOnlyList<Level> CreateLevels(int observationSize, Rng rng)
    {
        if (Change is null or "observation") return ObservationShifts.Create(Levels, observationSize, Sigma, rng);
        var world = CreateEnvironment();
        var lists = new List<(string Name, double[] Values)>();
        foreach (string part in Change.Split('+', StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new ConfigurationException($"--change '{part}': write PARAMETER=v0,v1,... (one value per level), lists joined by '+', or 'observation'.");
            string name = part[..equals].Trim();
            if (!world.ParameterNames.Contains(name))
                throw new ConfigurationException($"--change: {Environment} has no parameter '{name}'.{Spelling.Suggest(name, world.ParameterNames)} Its parameters: {string.Join(", ", world.ParameterNames)}.");
            var values = part[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries).Select(v =>
                double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x) ? x
                    : throw new ConfigurationException($"--change {name}: '{v}' is not a number.")).ToArray();
            if (values.Length != Levels)
                throw new ConfigurationException($"--change {name}: {values.Length} values for {Levels} levels; give one value per level (level 0 first), or set --levels {values.Length}.");
            if (lists.Any(l => l.Name == name)) throw new ConfigurationException($"--change: '{name}' is listed twice.");
            lists.Add((name, values));
        }
        var levels = new List<Level>();
        for (int l = 0; l < Levels; l++)
        {
            var level = Level.WithParameters([.. lists.Select(p => (p.Name, p.Values[l]))]);
            // The environment refuses a value it cannot take (a goal outside the grid) now, not at the switch.
            foreach (var (name, value) in level.Parameters)
            {
                try { world.SetParameter(name, value); }
                catch (ArgumentException e) { throw new ConfigurationException($"--change {name}: level {l}'s value {value.ToString(CultureInfo.InvariantCulture)} is refused: {ConfigurationException.Plain(e)}", e); }
            }
            levels.Add(level);
        }
        return levels;
    }

    /// <summary>Checks the combination of settings.</summary>
    /// <exception cref="ConfigurationException">The revisited level does not exist, or the environment is unknown.</exception>
    public void Validate()
    {
        var world = CreateEnvironment();
        CreateLevels(world.ObservationSize, new Rng(0));
        if (ReturnTo is { } level && level >= Levels)
            throw new ConfigurationException($"return-to {level}: there are levels 0..{Levels - 1}; pick one of them or raise --levels.");
    }
}
