using Lifelong.NN;

namespace Lifelong.Rl.Agents;

/// <summary>Two separate MLPs seen as one network: a policy (observation → action logits) and a value function
/// (observation → V(s)); the output row is [logits, V].</summary>
/// <remarks>
/// One module over both networks is what lets every plasticity method act on an agent unchanged: the learner's
/// <see cref="Training.Learner.Network"/> is this module, so L2 Init's θ₀, Shrink &amp; Perturb's noise and ReDo's unit
/// recycling see the parameters of both (<c>policy.fc1.weight</c>, …, <c>value.head.bias</c>), and the hidden layers of both
/// are exposed (<c>policy.fc1</c> … <c>value.fc3</c>) for ReDo, Continual Backprop and the probes. The networks share nothing,
/// as in C-CHAIN's <c>networks.py</c> and CleanRL's <c>ppo.py</c>.
/// </remarks>
public sealed class ActorCritic : Module, IHiddenFeatures
{
    private readonly string[] _hiddenNames;

    /// <summary>Policy and value MLPs of hidden widths <paramref name="hidden"/>, each built from its own split of <paramref name="rng"/>.</summary>
    /// <param name="observationSize">Inputs.</param>
    /// <param name="actionCount">Discrete actions (the policy's outputs).</param>
    /// <param name="hidden">Hidden widths of each network (C-CHAIN: 256, 256, 256).</param>
    /// <param name="options">Activation and LayerNorm of both.</param>
    /// <param name="rng">Init stream.</param>
    public ActorCritic(int observationSize, int actionCount, IReadOnlyList<int> hidden, MlpOptions options, Rng rng)
    {
        Policy = AddModule("policy", new Mlp([observationSize, .. hidden, actionCount], rng.Split("policy"), options));
        Value = AddModule("value", new Mlp([observationSize, .. hidden, 1], rng.Split("value"), options));
        ActionCount = actionCount;
        _hiddenNames = [.. Policy.HiddenLayerNames.Select(n => "policy." + n), .. Value.HiddenLayerNames.Select(n => "value." + n)];
    }

    /// <summary>The policy network.</summary>
    public Mlp Policy { get; }

    /// <summary>The value network.</summary>
    public Mlp Value { get; }

    /// <summary>Number of actions.</summary>
    public int ActionCount { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> HiddenLayerNames => _hiddenNames;

    /// <param name="x">(N, observation)</param> <returns>(N, actions + 1): the logits, then V</returns>
    public override Tensor Forward(Tensor x) => TensorMath.Concat([Policy.Forward(x), Value.Forward(x)], 1);

    /// <inheritdoc/>
    public HiddenForward ForwardWithFeatures(Tensor x)
    {
        var policy = Policy.ForwardWithFeatures(x);
        var value = Value.ForwardWithFeatures(x);
        return new HiddenForward(TensorMath.Concat([policy.Output, value.Output], 1), [.. policy.Hidden, .. value.Hidden]);
    }

    /// <summary>The logits (N, actions) of a forward output.</summary>
    public Tensor Logits(Tensor output) => output.Slice(1, 0, ActionCount);

    /// <summary>V (N) of a forward output.</summary>
    public Tensor Values(Tensor output) => output.Slice(1, ActionCount, 1).Reshape(output.Shape[0]);
}
