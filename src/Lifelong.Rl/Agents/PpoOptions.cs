using Lifelong.Catalog;
using Lifelong.NN;

namespace Lifelong.Rl.Agents;

/// <summary>How PPO normalises its advantages.</summary>
public enum AdvantageNormalization
{
    /// <summary>Raw advantages.</summary>
    None,

    /// <summary>Over the whole iteration's batch, (A − mean)/(σ + ε) with the population σ (C-CHAIN's <c>normalize_list</c>, np.std).</summary>
    Batch,

    /// <summary>Within each minibatch, with the unbiased σ (CleanRL's <c>mb_advantages.std()</c>).</summary>
    Minibatch,
}

/// <summary>What PPO's value function regresses on.</summary>
public enum ValueTarget
{
    /// <summary>The bootstrapped discounted reward-to-go, G_t = r_t + γG_{t+1}, ending in V(s′) or 0 (C-CHAIN's <c>cumulative_sum(rewards + [last_value])</c>).</summary>
    RewardToGo,

    /// <summary>GAE advantage plus the value at collection, A_t + V(s_t) (CleanRL's <c>returns = advantages + values</c>).</summary>
    Gae,
}

/// <summary>How the agent's networks are initialised.</summary>
public enum NetworkInit
{
    /// <summary>PyTorch's default, U(±1/√fan_in) for weights and biases (C-CHAIN).</summary>
    PyTorchDefault,

    /// <summary>Orthogonal, gain √2 in hidden layers, 0.01 on the policy head, 1 on the value head, zero biases (CleanRL's <c>layer_init</c>).</summary>
    Orthogonal,
}

/// <summary>Every setting of <see cref="Ppo"/>. Two presets: <see cref="General"/> (CleanRL <c>ppo.py</c>) and <see cref="CChain"/>
/// (the continual-CartPole protocol of C-CHAIN's <c>control_train_aligned_vanilla.py</c>); docs/rl.md gives each value's source.</summary>
/// <param name="Envs">Environment copies stepped together.</param>
/// <param name="StepsPerEnv">Steps of each copy per iteration (the rollout length).</param>
/// <param name="Epochs">Passes over the iteration's batch.</param>
/// <param name="MinibatchSize">Rows per update; the last, partial minibatch of an epoch is kept.</param>
/// <param name="Lr">Adam's step size.</param>
/// <param name="AdamEps">Adam's ε.</param>
/// <param name="AnnealLr">Decay the step size linearly to 0 over the run (CleanRL's <c>anneal_lr</c>).</param>
/// <param name="Gamma">Discount γ.</param>
/// <param name="Lambda">GAE's λ.</param>
/// <param name="Normalization">How advantages are normalised.</param>
/// <param name="AdvantageEps">ε in (A − mean)/(σ + ε).</param>
/// <param name="Target">What the value function regresses on.</param>
/// <param name="RewardScale">The learner sees r / scale (the logged returns stay raw).</param>
/// <param name="Clip">ε of the clipped surrogate, ρ clipped to [1 − ε, 1 + ε].</param>
/// <param name="ClipValueLoss">Clip V's change to ±<paramref name="Clip"/> around its value at collection and take the larger loss (CleanRL's <c>clip_vloss</c>).</param>
/// <param name="EntropyCoefficient">Weight of the entropy bonus.</param>
/// <param name="ValueCoefficient">Weight of the mean squared value error in the loss.</param>
/// <param name="MaxGradNorm">Clip the global gradient norm to this; 0 does not clip.</param>
/// <param name="TargetKl">Stop an iteration's epochs early when the last minibatch's approximate KL, mean((ρ − 1) − log ρ)
/// before its step, exceeds this (CleanRL's <c>target_kl</c>, checked after each epoch); 0 never stops.</param>
/// <param name="Hidden">Hidden widths of the policy and of the value network.</param>
/// <param name="Activation">Hidden activation of both networks (<c>crelu</c> for the CReLU variant).</param>
/// <param name="NegativeSlope">LeakyReLU's slope.</param>
/// <param name="LayerNorm">A LayerNorm before every hidden activation (the LayerNorm variant).</param>
/// <param name="Init">Initialisation of both networks.</param>
/// <param name="ResetEachIteration">Every iteration starts from fresh resets, and an episode still running at the end of the
/// rollout is cut there and bootstrapped (C-CHAIN); otherwise episodes carry over between iterations (CleanRL).</param>
/// <param name="BootstrapTruncation">At a time-limit truncation, bootstrap from V(s′) (C-CHAIN's 400-step cut); otherwise a
/// truncation ends the return like a termination (CleanRL's <c>next_done = terminations | truncations</c>).</param>
public sealed record PpoOptions(
    [Positive(Max = 4_096)] int Envs = 4,
    [Positive(Max = 1_000_000)] int StepsPerEnv = 128,
    [Positive(Max = 1_000)] int Epochs = 4,
    [Positive(Max = 1_000_000)] int MinibatchSize = 128,
    [Positive] double Lr = 2.5e-4,
    [Positive] double AdamEps = 1e-5,
    bool AnnealLr = true,
    [Probability] float Gamma = 0.99f,
    [Probability] float Lambda = 0.95f,
    AdvantageNormalization Normalization = AdvantageNormalization.Minibatch,
    [NonNegative] float AdvantageEps = 1e-8f,
    ValueTarget Target = ValueTarget.Gae,
    [Positive] float RewardScale = 1f,
    [Positive] float Clip = 0.2f,
    bool ClipValueLoss = true,
    [NonNegative] float EntropyCoefficient = 0.01f,
    [NonNegative] float ValueCoefficient = 0.25f,
    [NonNegative] float MaxGradNorm = 0.5f,
    [NonNegative] float TargetKl = 0f,
    [Positive(Max = 65_536)] int[]? Hidden = null,
    Activation Activation = Activation.Tanh,
    [Probability] float NegativeSlope = 0.01f,
    bool LayerNorm = false,
    NetworkInit Init = NetworkInit.Orthogonal,
    bool ResetEachIteration = false,
    bool BootstrapTruncation = false)
{
    /// <summary>Hidden widths (64, 64 when not given).</summary>
    public int[] Hidden { get; init; } = Hidden ?? [64, 64];

    /// <summary>Rows per iteration, Envs × StepsPerEnv.</summary>
    public int BatchSize => Envs * StepsPerEnv;

    /// <summary>The preset names.</summary>
    public static IReadOnlyList<string> Presets { get; } = ["general", "cchain"];

    /// <summary>CleanRL <c>ppo.py</c>'s defaults: 4 envs × 128 steps, 4 epochs of 4 minibatches (128 rows), Adam 2.5e-4 with ε 1e-5
    /// annealed linearly, γ 0.99, λ 0.95, per-minibatch advantage normalisation, GAE + V targets, clip 0.2 with a clipped
    /// value loss, entropy 0.01, value coefficient 0.5 on CleanRL's ½·max(…) (0.25 on the squared error), gradient norm 0.5,
    /// 64-64 Tanh networks with orthogonal init; truncations end returns.</summary>
    public static PpoOptions General { get; } = new();

    /// <summary>The continual-CartPole protocol (C-CHAIN <c>control_train_aligned_vanilla.py</c>, <c>basic_utils.py</c>,
    /// <c>networks.py</c>; ../shared/papers/rl.md): 1 env × 800 steps, 5 epochs of minibatches of 32 (last partial kept), Adam
    /// 1e-3 with ε 1e-8 and no annealing, γ 0.99, λ 0.95, batch advantage normalisation with the population σ + 1e-5,
    /// reward-to-go targets, rewards ÷ 20, clip 0.2 without value clipping, entropy 0.01, 0.5·MSE, no gradient clipping,
    /// 4→256→256→256 LeakyReLU(0.1) networks with PyTorch's default init, fresh resets each iteration and bootstrapped cuts.</summary>
    public static PpoOptions CChain { get; } = new(
        Envs: 1, StepsPerEnv: 800, Epochs: 5, MinibatchSize: 32, Lr: 1e-3, AdamEps: 1e-8, AnnealLr: false,
        Gamma: 0.99f, Lambda: 0.95f, Normalization: AdvantageNormalization.Batch, AdvantageEps: 1e-5f, Target: ValueTarget.RewardToGo,
        RewardScale: 20f, Clip: 0.2f, ClipValueLoss: false, EntropyCoefficient: 0.01f, ValueCoefficient: 0.5f, MaxGradNorm: 0f,
        Hidden: [256, 256, 256], Activation: Activation.LeakyRelu, NegativeSlope: 0.1f, LayerNorm: false, Init: NetworkInit.PyTorchDefault,
        ResetEachIteration: true, BootstrapTruncation: true);

    /// <summary>The preset called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">No such preset.</exception>
    public static PpoOptions Preset(string name) => name switch
    {
        "general" => General,
        "cchain" => CChain,
        _ => throw new ConfigurationException($"ppo: unknown preset '{name}'.{Spelling.Suggest(name, Presets)} Presets: {string.Join(", ", Presets)}."),
    };

    /// <summary>The network's architecture options.</summary>
    public MlpOptions NetworkOptions => new(Activation, LayerNorm, NegativeSlope: NegativeSlope);
}
