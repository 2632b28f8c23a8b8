using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="ShrinkAndPerturb"/>.</summary>
/// <param name="Shrink">s in θ ← (1 − s)·θ + σ·φ. Per step: the L2 Init paper's best with Adam on permuted MNIST is 1e-3 (its
/// "p = 1 − 1e-3"). Once per task (Ash &amp; Adams): their README's example multiplies by 0.4, i.e. s = 0.6.</param>
/// <param name="Sigma">σ, the scale of the fresh-init noise φ; 1e-2 in the L2 Init paper's best configurations.</param>
/// <param name="OncePerTask">Apply once at the start of every task after the first (Ash &amp; Adams' warm-starting fix) instead of after every step (the L2 Init code's variant).</param>
public sealed record ShrinkAndPerturbOptions([Probability] float Shrink = 1e-3f, [NonNegative] float Sigma = 1e-2f, bool OncePerTask = false)
{
    /// <summary>0 ≤ s ≤ 1.</summary>
    public float Shrink { get; } = Shrink is >= 0 and <= 1 ? Shrink : throw new ArgumentOutOfRangeException(nameof(Shrink), Shrink, "shrink must lie in [0, 1].");

    /// <summary>σ ≥ 0.</summary>
    public float Sigma { get; } = Sigma >= 0 ? Sigma : throw new ArgumentOutOfRangeException(nameof(Sigma), Sigma, "sigma must be ≥ 0.");
}

/// <summary>Shrink &amp; Perturb: θ ← (1 − s)·θ + σ·φ, φ a fresh sample of the initial distribution.</summary>
/// <remarks>
/// Ash &amp; Adams 2020 ("On Warm-Starting Neural Network Training") shrink and perturb once when new data arrive; the L2
/// Init code (Kumar et al. 2023) applies it after every optimizer step, which is our default. φ is what a newly constructed
/// model would hold (<see cref="ParameterSelection.FreshSample"/>: PyTorch's U(±1/√fan_in) for Linear and Conv2d), so the
/// noise is init-shaped uniform, not Gaussian. LayerNorm's γ and β are left alone (the code shrinks them too): their
/// fresh value is the constant 1 or 0, so θ ← (1 − s)θ + σ·1 would drive γ to its fixed point σ/s (10 with the
/// defaults) instead of perturbing it. Under SGD, L2 Init is the same
/// update with the fixed θ₀ in place of fresh φ (L2 Init App. A.3).
/// </remarks>
[Method("plasticity", "Ash & Adams 2020, On Warm-Starting Neural Network Training, NeurIPS (per-step variant: Kumar et al. 2023)")]
public sealed class ShrinkAndPerturb(ShrinkAndPerturbOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "shrink-perturb";

    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public ShrinkAndPerturbOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _rng = learner.Rng.Split(Name);

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task)
    {
        if (Options.OncePerTask && task.Id > 0) Apply(learner, $"task {task.Id}");
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        if (!Options.OncePerTask) Apply(learner, learner.TotalSteps.ToString(CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => state.SetRng("rng", _rng);

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", _rng);
    }

    private void Apply(Learner learner, string draw)
    {
        var fresh = ParameterSelection.FreshSample(learner.Network, _rng.Split(draw));
        float keep = 1 - Options.Shrink, sigma = Options.Sigma;
        foreach (var parameter in ParameterSelection.WeightsAndBiases(learner.Network))
        {
            var values = parameter.Span;
            var noise = fresh[parameter].Span;
            for (int i = 0; i < values.Length; i++) values[i] = keep * values[i] + sigma * noise[i];
        }
    }
}
