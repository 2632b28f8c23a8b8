using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>UPGD: θ ← θ(1 − αβ_wd) − α·(g + ξ)⊙(1 − ū), ū = sigmoid(û / max u) the scaled utility of each weight, ξ ~ N(0, σ²).</summary>
/// <remarks>
/// <para>Elsayed &amp; Mahmood, "Addressing Loss of Plasticity and Catastrophic Forgetting in Continual Learning"
/// (ICLR 2024); code <c>mohmdelsayed/upgd</c>, <c>core/optim/weight_upgd/first_order.py</c> (the global first-order
/// variant). Per weight, the utility is a running mean of the first-order estimate of the loss increase if the weight
/// were removed: u ← β_u·u + (1 − β_u)·(−g⊙θ), û = u / (1 − β_u^t); ū = sigmoid(û / maxₐₗₗ u), the max over every
/// parameter of the network (the code takes it over the non-bias-corrected u). Useful weights (ū → 1) are protected
/// from both gradient and noise (less forgetting); useless ones (ū → 1/2 or below) keep moving and are perturbed (more
/// plasticity).</para>
/// <para>UPGD is an update rule. We apply it as gradient surgery before a plain SGD step: with <c>--optimizer sgd</c>
/// (no momentum, no weight decay) of step size α, replacing g by (g + ξ)⊙(1 − ū) + β_wd·θ gives exactly the update
/// above, so the method refuses any other optimizer. The README's snippet steps by −2α; the repository's optimizer by
/// −α, as here. All parameters are updated this way (the code's <c>model.parameters()</c>).</para>
/// </remarks>
[Method("plasticity", "Elsayed & Mahmood 2024, Addressing Loss of Plasticity and Catastrophic Forgetting in Continual Learning, ICLR")]
public sealed class Upgd : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "upgd";

    private readonly UpgdOptions _options;
    private Dictionary<Parameter, Tensor> _utility = [];
    private Module? _network;
    private Rng? _rng;
    private long _steps;

    /// <summary>UPGD with <paramref name="options"/>.</summary>
    public Upgd(UpgdOptions options)
    {
        if (options.BetaUtility is < 0 or >= 1) throw new ArgumentException($"{MethodName}: beta-utility must lie in [0, 1), got {options.BetaUtility}.", nameof(options));
        if (options.Sigma < 0 || options.WeightDecay < 0) throw new ArgumentException($"{MethodName}: sigma and weight-decay must be ≥ 0.", nameof(options));
        _options = options;
    }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The running utility u of every parameter (not bias-corrected).</summary>
    public IReadOnlyDictionary<Parameter, Tensor> Utility => _utility;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        Bind(learner);
        _utility = learner.Network.Parameters().ToDictionary(p => p, p => Tensor.ZerosLike(p));
    }

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        _steps++;
        float beta = (float)_options.BetaUtility, sigma = (float)_options.Sigma, decay = (float)_options.WeightDecay;
        float max = float.NegativeInfinity;
        foreach (var (p, u) in _utility)
        {
            if (p.Grad is not { } grad) continue;
            Span<float> us = u.Span, gs = grad.Span, ps = p.Span;
            for (int i = 0; i < us.Length; i++)
            {
                us[i] = beta * us[i] + (1 - beta) * (-gs[i] * ps[i]);
                max = MathF.Max(max, us[i]);
            }
        }
        float correction = 1f - MathF.Pow(beta, _steps);
        float[] noise = [];
        foreach (var (p, u) in _utility)
        {
            if (p.Grad is not { } grad) continue;
            if (noise.Length != p.Size) noise = new float[p.Size];
            _rng!.FillNormal(noise, 0f, sigma);
            var surgery = Tensor.ZerosLike(grad);
            Span<float> ss = surgery.Span, us = u.Span, gs = grad.Span, ps = p.Span;
            for (int i = 0; i < ss.Length; i++)
            {
                float scaled = 1f / (1f + MathF.Exp(-(us[i] / correction) / max));
                ss[i] = (gs[i] + noise[i]) * (1 - scaled) + decay * ps[i];
            }
            p.Grad = surgery;
        }
    }

    /// <inheritdoc/>
    public override void Validate(Learner learner)
    {
        if (learner.Optimizer is not Sgd sgd || sgd.ParamGroups.Any(g => g.Momentum != 0 || g.WeightDecay != 0 || g.Nesterov))
            throw new ArgumentException($"{MethodName} is an update rule applied through a plain SGD step: use --optimizer sgd:lr=α (no momentum, no weight decay; UPGD's own weight-decay is an option of the method).");
    }

    private void Bind(Learner learner)
    {
        Validate(learner);
        _network = learner.Network;
        _rng = learner.Rng.Split(Name);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("utility", _utility, _network ?? throw new InvalidOperationException($"{MethodName}: saved before the run started."));
        state.SetRng("rng", _rng!);
        state.Values["steps"] = _steps;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        Bind(learner);
        _utility = state.GetParameterTensors("utility", learner.Network);
        state.GetRng("rng", _rng!);
        _steps = state.Values["steps"]!.GetValue<long>();
    }
}

/// <summary>Options of <see cref="Upgd"/>; the step size α is the SGD optimizer's <c>lr</c>.</summary>
/// <param name="BetaUtility">β_u, decay of the running utility; the code's default 0.999 (grid 0.999, 0.9999).</param>
/// <param name="Sigma">σ of the Gaussian perturbation ξ; the code's default 1e-3 (grid 0.01, 0.1, 1 on input-permuted MNIST).</param>
/// <param name="WeightDecay">β_wd, decoupled weight decay θ(1 − αβ_wd); the code's default 1e-3.</param>
public sealed record UpgdOptions([Between(0, 1, MaxExclusive = true)] double BetaUtility = 0.999, [NonNegative] double Sigma = 1e-3, [NonNegative] double WeightDecay = 1e-3);
