using Lifelong.Catalog;
using Lifelong.NN;

namespace Lifelong.Rl.Agents;

/// <summary>The TD loss of <see cref="Dqn"/>.</summary>
public enum TdLoss
{
    /// <summary>Huber (smooth L1 with δ = 1): ½d² for |d| ≤ 1, |d| − ½ beyond (Mnih et al. 2015's error clipping).</summary>
    Huber,

    /// <summary>Mean squared error (CleanRL <c>dqn.py</c>'s <c>F.mse_loss</c>).</summary>
    Mse,
}

/// <summary>Every setting of <see cref="Dqn"/>; the <see cref="General"/> preset holds CleanRL <c>dqn.py</c>'s values (commit
/// 020cf0e) with Double DQN and the Huber loss, which that file does not use (<c>double=false,loss=mse</c> gives it exactly).</summary>
/// <param name="StepsPerIteration">Environment steps per iteration (how often the run records and checkpoints).</param>
/// <param name="Lr">Adam's step size (CleanRL 2.5e-4).</param>
/// <param name="AdamEps">Adam's ε (PyTorch's default 1e-8, which CleanRL keeps).</param>
/// <param name="BufferSize">Replay capacity (CleanRL 10,000).</param>
/// <param name="Gamma">Discount (0.99).</param>
/// <param name="Tau">Target update rate; 1 copies the network (CleanRL 1).</param>
/// <param name="TargetNetworkFrequency">Steps between target updates (CleanRL 500).</param>
/// <param name="BatchSize">Replayed transitions per update (CleanRL 128).</param>
/// <param name="StartE">ε at the start (1).</param>
/// <param name="EndE">ε at the end of the decay (0.05).</param>
/// <param name="ExplorationFraction">Fraction of the run over which ε decays linearly (0.5).</param>
/// <param name="LearningStarts">Steps before the first update (CleanRL 10,000).</param>
/// <param name="TrainFrequency">Steps between updates (CleanRL 10).</param>
/// <param name="Double">Double DQN (van Hasselt et al. 2016): the online network picks a′, the target network values it.</param>
/// <param name="Loss">The TD loss.</param>
/// <param name="Hidden">Hidden widths (CleanRL 120, 84).</param>
/// <param name="Activation">Hidden activation (ReLU).</param>
/// <param name="LayerNorm">A LayerNorm before every hidden activation.</param>
public sealed record DqnOptions(
    [Positive(Max = 10_000_000)] int StepsPerIteration = 1_000,
    [Positive] double Lr = 2.5e-4,
    [Positive] double AdamEps = 1e-8,
    [Positive(Max = 100_000_000)] int BufferSize = 10_000,
    [Probability] float Gamma = 0.99f,
    [Probability] float Tau = 1f,
    [Positive] int TargetNetworkFrequency = 500,
    [Positive(Max = 1_000_000)] int BatchSize = 128,
    [Probability] double StartE = 1,
    [Probability] double EndE = 0.05,
    [Probability] double ExplorationFraction = 0.5,
    [NonNegative] int LearningStarts = 10_000,
    [Positive] int TrainFrequency = 10,
    bool Double = true,
    TdLoss Loss = TdLoss.Huber,
    [Positive(Max = 65_536)] int[]? Hidden = null,
    Activation Activation = Activation.Relu,
    bool LayerNorm = false)
{
    /// <summary>Hidden widths (120, 84 when not given).</summary>
    public int[] Hidden { get; init; } = Hidden ?? [120, 84];

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["general"];

    /// <summary>CleanRL's defaults with Double DQN and Huber.</summary>
    public static DqnOptions General { get; } = new();

    /// <summary>The preset called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No such preset.</exception>
    public static DqnOptions Preset(string name) => name == "general"
        ? General
        : throw new ConfigurationException($"dqn: unknown preset '{name}'. Presets: {string.Join(", ", Presets)}.");

    /// <summary>ε after <paramref name="step"/> of <paramref name="totalSteps"/>: CleanRL's <c>linear_schedule</c>.</summary>
    public double Epsilon(long step, long totalSteps)
    {
        double duration = ExplorationFraction * totalSteps;
        if (duration <= 0) return EndE;
        return Math.Max((EndE - StartE) / duration * step + StartE, EndE);
    }
}
