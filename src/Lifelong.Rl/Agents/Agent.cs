using Lifelong.NN;
using Lifelong.Rl.Vectorization;
using Lifelong.Training;

namespace Lifelong.Rl.Agents;

/// <summary>A learning agent: its network, and one iteration of acting and learning at a time.</summary>
/// <remarks>
/// An agent trains its network only through <see cref="Learner.StepOnLoss"/>, so every
/// method the learner carries (L2 Init's term, Shrink &amp; Perturb's noise, ReDo's recycling, …) acts on it as on a
/// classifier. The run (<see cref="Experiments.RlRun"/>) owns the environments, the level boundaries and the checkpoints.
/// </remarks>
public abstract class Agent
{
    /// <summary>The agent's name (<c>ppo</c>, <c>dqn</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The network the learner trains and the methods act on.</summary>
    public abstract Module Network { get; }

    /// <summary>Environment copies the agent steps together.</summary>
    public abstract int EnvironmentCount { get; }

    /// <summary>Steps of each copy per iteration.</summary>
    public abstract int StepsPerIteration { get; }

    /// <summary>The optimizer the agent's settings ask for, over <see cref="Network"/>'s parameters.</summary>
    public abstract Optimizer CreateOptimizer();

    /// <summary>One iteration: <see cref="StepsPerIteration"/> steps of every copy, and the updates they bring.</summary>
    /// <param name="learner">The learner over <see cref="Network"/>, with its methods.</param>
    /// <param name="envs">The environments, reset with the run's seed before the first iteration.</param>
    /// <param name="iteration">The iteration's index from 0.</param>
    /// <param name="iterations">Iterations in the run.</param>
    public abstract IterationStats Iterate(Learner learner, VectorEnvironment envs, int iteration, int iterations);

    /// <summary>Observations of the latest iteration, (N, observation): the probes' inputs.</summary>
    public abstract Tensor RecentObservations { get; }

    /// <summary>Writes what the agent needs to continue after a resume (RNG states, running returns, replay, target network).</summary>
    public abstract void SaveState(MethodState state);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    public abstract void LoadState(MethodState state);
}

/// <summary>What one iteration did.</summary>
/// <param name="Episodes">Returns (raw rewards) of the episodes that ended in the iteration, in order; with fresh resets each
/// iteration, also the episode cut at the end of it (as C-CHAIN's <c>itr_mean_return</c> counts it).</param>
/// <param name="Updates">Optimizer steps taken.</param>
/// <param name="Losses">Mean of each loss term over the iteration's updates (<c>policy</c>, <c>value</c>, <c>entropy</c>, <c>td</c>, …).</param>
public sealed record IterationStats(IReadOnlyList<double> Episodes, int Updates, IReadOnlyDictionary<string, double> Losses)
{
    /// <summary>Mean episode return of the iteration; NaN when no episode ended.</summary>
    public double MeanReturn => Episodes.Count == 0 ? double.NaN : Episodes.Average();
}
