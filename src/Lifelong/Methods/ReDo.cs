using System.Globalization;
using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Where <see cref="ReDo"/> resets a recycled unit's incoming weights.</summary>
public enum ReDoReset
{
    /// <summary>Back to their values at the start of the run, θ₀ (the L2 Init code's ReDO agent).</summary>
    Initial,

    /// <summary>A fresh draw from the initial distribution, bias 0 (ReDo's official code).</summary>
    Fresh,
}

/// <summary>Options of <see cref="ReDo"/>.</summary>
/// <param name="Period">Recycle every this many steps; the L2 Init paper's best on permuted MNIST is one task (625 steps).</param>
/// <param name="Threshold">τ: unit i is recycled when sᵢ = mean|hᵢ| / mean over the layer ≤ τ; 0.025 is ReDo's default (0.1 at high replay ratios; the L2 Init paper tried 0, 0.01, 0.1).</param>
/// <param name="ResetTo">initial (θ₀, the L2 Init code) or fresh (a new init sample with bias 0, ReDo's code).</param>
/// <param name="ResetOptimizerState">Zero the optimizer's moments of the recycled weights (ReDo's code; the L2 Init code does not).</param>
public sealed record ReDoOptions([Positive] int Period = 625, [NonNegative] double Threshold = 0.025, ReDoReset ResetTo = ReDoReset.Initial, bool ResetOptimizerState = false)
{
    /// <summary>Period ≥ 1.</summary>
    public int Period { get; } = Period >= 1 ? Period : throw new ArgumentOutOfRangeException(nameof(Period), Period, "period must be ≥ 1.");

    /// <summary>τ ≥ 0.</summary>
    public double Threshold { get; } = Threshold >= 0 ? Threshold : throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be ≥ 0.");
}

/// <summary>ReDo: recycle τ-dormant units — reset their incoming weights, zero their outgoing weights.</summary>
/// <remarks>
/// Sokar, Agarwal, Castro &amp; Evci 2023 ("The Dormant Neuron Phenomenon in Deep Reinforcement Learning"). Every
/// <c>period</c> steps each hidden layer's units are scored on the current batch, sᵢ = mean|hᵢ| / ((1/H) Σₖ mean|hₖ|)
/// (convolutions: also averaged over positions); units with sᵢ ≤ τ get their incoming weights and bias reset and their
/// outgoing weights set to 0, so the network's function is unchanged at the moment of recycling. The output layer is never
/// recycled. Defaults follow the L2 Init code's variant (reset to θ₀, optimizer state kept); <c>reset-to=fresh,
/// reset-optimizer-state=true</c> gives ReDo's own.
/// </remarks>
[Method("plasticity", "Sokar, Agarwal, Castro & Evci 2023, The Dormant Neuron Phenomenon in Deep RL, ICML, arXiv 2302.12902")]
public sealed class ReDo(ReDoOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "redo";

    private Dictionary<Parameter, Tensor> _initial = [];
    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public ReDoOptions Options { get; } = options;

    /// <summary>Units recycled so far, over all layers.</summary>
    public long Recycled { get; private set; }

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner)
    {
        _initial = learner.Network.Snapshot();
        _rng = learner.Rng.Split(Name);
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        if (learner.TotalSteps % Options.Period != 0) return;
        HiddenForward forward;
        using (Autograd.NoGrad()) forward = ((IHiddenFeatures)learner.Network).ForwardWithFeatures(step.Inputs);
        var fresh = Options.ResetTo == ReDoReset.Fresh ? ParameterSelection.FreshSample(learner.Network, _rng.Split(learner.TotalSteps.ToString(CultureInfo.InvariantCulture))) : null;
        var layers = HiddenLayer.Of(learner.Network, forward);
        for (int l = 0; l < layers.Count; l++)
        {
            var dormant = DormantUnits(layers[l].MeanAbsoluteActivation(forward.Hidden[l]), Options.Threshold);
            if (dormant.Count > 0) Recycle(learner, layers[l], dormant, fresh);
        }
    }

    /// <summary>Units whose score sᵢ = aᵢ / mean(a) is ≤ τ (ReDo's code adds 1e-9 to the mean).</summary>
    public static List<int> DormantUnits(IReadOnlyList<double> meanAbsoluteActivation, double threshold)
    {
        double mean = meanAbsoluteActivation.Average() + 1e-9;
        return [.. Enumerable.Range(0, meanAbsoluteActivation.Count).Where(i => meanAbsoluteActivation[i] / mean <= threshold)];
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetParameterTensors("initial", _initial, learner.Network);
        state.SetRng("rng", _rng);
        state.Values["recycled"] = Recycled;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _initial = state.GetParameterTensors("initial", learner.Network);
        _rng = learner.Rng.Split(Name);
        state.GetRng("rng", _rng);
        Recycled = state.Values["recycled"]!.GetValue<long>();
    }

    private void Recycle(Learner learner, HiddenLayer layer, List<int> units, Dictionary<Parameter, Tensor>? fresh)
    {
        var weight = layer.IncomingWeight;
        var bias = layer.IncomingBias;
        int rowSize = weight.Size / layer.Units;
        foreach (int u in units)
        {
            var source = fresh?[weight] ?? _initial[weight];
            source.Span.Slice(u * rowSize, rowSize).CopyTo(weight.Span.Slice(u * rowSize, rowSize));
            if (bias is not null) bias.Span[u] = fresh is null ? _initial[bias].Span[u] : 0f;
            UnitSurgery.ZeroOutgoing(layer, u);
        }
        if (Options.ResetOptimizerState) UnitSurgery.ResetOptimizerState(learner.Optimizer, layer, units);
        Recycled += units.Count;
    }
}
