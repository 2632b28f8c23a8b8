using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Hare &amp; Tortoise: the trained network (hare) is followed by an EMA copy (tortoise), θ_T ← ρ·θ_T + (1 − ρ)·θ_H, which is copied back into the hare every so often.</summary>
/// <remarks>
/// <para>Lee, Cho, Kim, Kim, Kim &amp; Choo, "Slow and Steady Wins the Race: Maintaining Plasticity with Hare and
/// Tortoise Networks" (ICML 2024, arXiv 2406.02596); code <c>dojeon-ai/Hare-Tortoise</c>, <c>src/trainers/base.py</c>.
/// Inspired by the brain's complementary learning systems: the hare adapts fast, the slow tortoise integrates; resetting
/// the hare to the tortoise restores its plasticity without throwing away what the tortoise holds. The paper resets
/// every 10 epochs (<c>reset_every</c> in its scripts) with ρ = 0.999.</para>
/// <para>Here the reset period is counted in steps (<see cref="HareTortoiseOptions.ResetEvery"/>, 0 = at the start of
/// every task after the first), and the network evaluated is always the hare: the runtime has no hook to evaluate
/// another set of weights, so "evaluate the tortoise" is not offered. Every parameter is averaged (the code also
/// averages buffers; our models have none that train). Optimizer state is kept across resets, as the code.</para>
/// </remarks>
[Method("plasticity", "Lee et al. 2024, Slow and Steady Wins the Race: Maintaining Plasticity with Hare and Tortoise Networks, ICML")]
public sealed class HareTortoise : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "hare-tortoise";

    private readonly HareTortoiseOptions _options;
    private Dictionary<Parameter, Tensor> _tortoise = [];
    private Module? _network;
    private long _steps;

    /// <summary>Hare &amp; Tortoise with <paramref name="options"/>.</summary>
    public HareTortoise(HareTortoiseOptions options)
    {
        if (options.Ema is < 0 or >= 1) throw new ArgumentException($"{MethodName}: ema must lie in [0, 1), got {options.Ema}.", nameof(options));
        if (options.ResetEvery < 0) throw new ArgumentException($"{MethodName}: reset-every must be ≥ 0, got {options.ResetEvery}.", nameof(options));
        _options = options;
    }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The tortoise's parameters.</summary>
    public IReadOnlyDictionary<Parameter, Tensor> Tortoise => _tortoise;

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _network = learner.Network;
        _tortoise = learner.Network.Snapshot();
    }

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task)
    {
        if (_options.ResetEvery == 0 && task.Id > 0) Reset();
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        float ema = (float)_options.Ema;
        foreach (var (hare, tortoise) in _tortoise)
        {
            Span<float> h = hare.Span, t = tortoise.Span;
            for (int i = 0; i < t.Length; i++) t[i] = ema * t[i] + (1 - ema) * h[i];
        }
        _steps++;
        if (_options.ResetEvery > 0 && _steps % _options.ResetEvery == 0) Reset();
    }

    private void Reset()
    {
        foreach (var (hare, tortoise) in _tortoise) tortoise.Span.CopyTo(hare.Span);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("tortoise", _tortoise, _network ?? throw new InvalidOperationException($"{MethodName}: saved before the run started."));
        state.Values["steps"] = _steps;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _network = learner.Network;
        _tortoise = state.GetParameterTensors("tortoise", learner.Network);
        _steps = state.Values["steps"]!.GetValue<long>();
    }
}

/// <summary>Options of <see cref="HareTortoise"/>.</summary>
/// <param name="Ema">ρ, the tortoise's EMA decay per step; 0.999 in the paper.</param>
/// <param name="ResetEvery">Copy the tortoise into the hare every this many steps; 0 resets at the start of every task after the first. The paper resets every 10 epochs (6,250 steps of batch 16 on 10,000 images).</param>
public sealed record HareTortoiseOptions([Between(0, 1, MaxExclusive = true)] double Ema = 0.999, [NonNegative] int ResetEvery = 0);
