using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>The utility Continual Backprop ranks units by.</summary>
public enum CbpUtility
{
    /// <summary>|h|·mean|w_out| (Dohare et al., Nature eq. 1).</summary>
    Contribution,

    /// <summary>|h − f̂|·mean|w_out| / mean|w_in| (the official code's default on permuted MNIST, and the L2 Init code's).</summary>
    AdaptableContribution,
}

/// <summary>Options of <see cref="ContinualBackprop"/>.</summary>
/// <param name="ReplacementRate">ρ: eligible units replaced per step, per layer, as a fraction; the L2 Init paper's best with Adam on permuted and random-label MNIST is 1e-3.</param>
/// <param name="Decay">η of the running utilities and mean activations; 0.99 "in all experiments" (Nature).</param>
/// <param name="Maturity">m: a unit is eligible for replacement only when older than this many steps; 100.</param>
/// <param name="Utility">contribution or adaptable-contribution.</param>
/// <param name="Accumulate">Accumulate fractional replacements per layer (replace when the count passes 1); false replaces one unit with probability n_eligible·ρ, as the L2 Init code.</param>
public sealed record ContinualBackpropOptions([Probability] double ReplacementRate = 1e-3, [Between(0, 1, MaxExclusive = true)] double Decay = 0.99, [NonNegative] int Maturity = 100, CbpUtility Utility = CbpUtility.AdaptableContribution, bool Accumulate = true)
{
    /// <summary>0 ≤ ρ ≤ 1.</summary>
    public double ReplacementRate { get; } = ReplacementRate is >= 0 and <= 1 ? ReplacementRate : throw new ArgumentOutOfRangeException(nameof(ReplacementRate), ReplacementRate, "replacement-rate must lie in [0, 1].");

    /// <summary>0 ≤ η &lt; 1.</summary>
    public double Decay { get; } = Decay is >= 0 and < 1 ? Decay : throw new ArgumentOutOfRangeException(nameof(Decay), Decay, "decay must lie in [0, 1).");
}

/// <summary>Continual Backprop: keep replacing the least useful mature hidden units with freshly initialised ones.</summary>
/// <remarks>
/// Dohare, Hernandez-Garcia, Lan, Rahman, Mahmood &amp; Sutton, "Loss of plasticity in deep continual learning", Nature
/// 2024 (Algorithm 1; details from the official <c>lop/algos/gnt.py</c>). Per hidden unit i with activation hᵢ (batch
/// mean): age += 1; f̂ ← ηf̂ + (1−η)hᵢ; uᵢ ← ηuᵢ + (1−η)·yᵢ with yᵢ the contribution |hᵢ|·mean|w_out| (or the adaptable
/// contribution |hᵢ − f̂ᵢ/(1−η^age)|·mean|w_out|/mean|w_in|); bias-corrected by 1/(1−η^age). Each step, per layer, n_eligible·ρ
/// units (fractionally accumulated) among those older than m with the smallest corrected utility are replaced: incoming
/// weights ~ U(±√2·√(3/fan_in)) (Kaiming-uniform for ReLU), bias 0, the next layer's bias += w_out·f̂ (the unit's mean
/// contribution) and w_out = 0, utility, mean and age reset to 0, and the optimizer's moments of those weights zeroed.
/// Activations are measured on the step's batch before the update (as the code: generate-and-test after the step, on the
/// pre-step features). Convolutional units are channels, their activation averaged over positions; the bias compensation is exact for ReLU
/// units of linear layers and approximate across convolution borders and CReLU's two copies.
/// </remarks>
[Method("plasticity", "Dohare et al. 2024, Loss of plasticity in deep continual learning, Nature 632, 768–774")]
public sealed class ContinualBackprop(ContinualBackpropOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "cbp";

    private List<HiddenLayer> _layers = [];
    private List<UnitStatistics> _statistics = [];
    private double[][]? _features;   // per layer (N · units): the pre-step unit activations of the current batch
    private int _batch;
    private Rng _rng = new(0);

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public ContinualBackpropOptions Options { get; } = options;

    /// <summary>Units replaced so far, over all layers.</summary>
    public long Replaced { get; private set; }

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _rng = learner.Rng.Split(Name);

    /// <inheritdoc/>
    public override bool NeedsHiddenFeatures => true;

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        // The step's own forward pass, before the update: the features the official code scores.
        var forward = new HiddenForward(step.Logits, step.Hidden ?? throw new InvalidOperationException($"{Name} needs a model that exposes its hidden layers (Mlp or Cnn)."));
        if (_layers.Count == 0)
        {
            _layers = HiddenLayer.Of(learner.Network, forward);
            if (_statistics.Count == 0) _statistics = [.. _layers.Select(l => new UnitStatistics(l.Units))];
        }
        _batch = step.Inputs.Shape[0];
        _features = [.. _layers.Select((layer, l) => UnitActivations(layer, forward.Hidden[l]))];
    }

    /// <inheritdoc/>
    public override void AfterStep(Learner learner, StepContext step)
    {
        if (_features is null) return;
        for (int l = 0; l < _layers.Count; l++)
        {
            var layer = _layers[l];
            var stats = _statistics[l];
            UpdateUtilities(layer, stats, _features[l]);
            var replace = ChooseReplacements(stats);
            if (replace.Count > 0) Replace(learner, layer, stats, replace);
        }
        _features = null;
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.SetRng("rng", _rng);
        state.Values["replaced"] = Replaced;
        for (int l = 0; l < _statistics.Count; l++)
        {
            var s = _statistics[l];
            state.Values[$"layer{l}"] = new JsonObject
            {
                ["utility"] = new JsonArray([.. s.Utility.Select(v => JsonValue.Create(v))]),
                ["mean"] = new JsonArray([.. s.Mean.Select(v => JsonValue.Create(v))]),
                ["age"] = new JsonArray([.. s.Age.Select(v => JsonValue.Create(v))]),
                ["pending"] = s.Pending,
            };
        }
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        OnRunStart(learner);
        state.GetRng("rng", _rng);
        Replaced = state.Values["replaced"]!.GetValue<long>();
        _statistics = [];
        for (int l = 0; state.Values[$"layer{l}"] is JsonObject saved; l++)
        {
            var utility = saved["utility"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var s = new UnitStatistics(utility.Length) { Pending = saved["pending"]!.GetValue<double>() };
            utility.CopyTo(s.Utility, 0);
            saved["mean"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray().CopyTo(s.Mean, 0);
            saved["age"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray().CopyTo(s.Age, 0);
            _statistics.Add(s);
        }
    }

    private double[] UnitActivations(HiddenLayer layer, Tensor hidden)
    {
        // h[n, u]: the unit's activation for sample n, averaged over positions, summed over CReLU's copies.
        var values = hidden.Span;
        int n = hidden.Shape[0], perSample = hidden.Size / n, positions = perSample / (layer.Copies * layer.Units);
        var result = new double[n * layer.Units];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < layer.Copies * layer.Units; f++)
            {
                double sum = 0;
                foreach (float h in values.Slice(i * perSample + f * positions, positions)) sum += h;
                result[i * layer.Units + f % layer.Units] += sum / positions;
            }
        return result;
    }

    private void UpdateUtilities(HiddenLayer layer, UnitStatistics stats, double[] h)
    {
        double eta = Options.Decay;
        int units = layer.Units;
        var inputWeight = layer.IncomingWeight.Span;
        int rowSize = layer.IncomingWeight.Size / units;
        for (int u = 0; u < units; u++)
        {
            stats.Age[u]++;
            double mean = 0, absMean = 0;
            for (int i = 0; i < _batch; i++)
            {
                mean += h[i * units + u];
                absMean += Math.Abs(h[i * units + u]);
            }
            mean /= _batch;
            absMean /= _batch;
            stats.Mean[u] = eta * stats.Mean[u] + (1 - eta) * mean;
            double correctedMean = stats.Mean[u] / (1 - Math.Pow(eta, stats.Age[u]));
            double outgoing = UnitSurgery.MeanAbsoluteOutgoing(layer, u);
            double contribution;
            if (Options.Utility == CbpUtility.Contribution) contribution = outgoing * absMean;
            else
            {
                double deviation = 0, incoming = 0;
                for (int i = 0; i < _batch; i++) deviation += Math.Abs(h[i * units + u] - correctedMean);
                foreach (float w in inputWeight.Slice(u * rowSize, rowSize)) incoming += Math.Abs(w);
                contribution = outgoing * (deviation / _batch) / (incoming / rowSize);
            }
            stats.Utility[u] = eta * stats.Utility[u] + (1 - eta) * contribution;
        }
    }

    private List<int> ChooseReplacements(UnitStatistics stats)
    {
        var eligible = Enumerable.Range(0, stats.Units).Where(u => stats.Age[u] > Options.Maturity).ToList();
        if (eligible.Count == 0) return [];
        double expected = eligible.Count * Options.ReplacementRate;
        int count;
        if (Options.Accumulate)
        {
            stats.Pending += expected;
            count = (int)stats.Pending;
            stats.Pending -= count;
        }
        else count = expected >= 1 ? (int)expected : _rng.NextDouble() <= expected ? 1 : 0;
        if (count == 0) return [];
        double eta = Options.Decay;
        return [.. eligible.OrderBy(u => stats.Utility[u] / (1 - Math.Pow(eta, stats.Age[u]))).ThenBy(u => u).Take(count)];
    }

    private void Replace(Learner learner, HiddenLayer layer, UnitStatistics stats, List<int> units)
    {
        var weight = layer.IncomingWeight;
        int rowSize = weight.Size / layer.Units;
        float bound = MathF.Sqrt(2f) * MathF.Sqrt(3f / rowSize);
        var outgoing = layer.OutgoingWeight;
        int outputs = outgoing.Shape[0], inputs = outgoing.Shape[1], kernel = outgoing.Size / (outputs * inputs);
        double eta = Options.Decay;
        foreach (int u in units)
        {
            _rng.FillUniform(weight.Span.Slice(u * rowSize, rowSize), -bound, bound);
            if (layer.IncomingBias is { } bias) bias.Span[u] = 0f;
            if (layer.OutgoingBias is { } nextBias)
            {
                // The unit's mean contribution moves into the next layer's bias, so removing it shifts nothing on average.
                float mean = (float)(stats.Mean[u] / (1 - Math.Pow(eta, stats.Age[u])));
                var w = outgoing.Span;
                foreach (int input in layer.OutgoingInputs(u))
                    for (int o = 0; o < outputs; o++)
                    {
                        float sum = 0;
                        foreach (float value in w.Slice((o * inputs + input) * kernel, kernel)) sum += value;
                        nextBias.Span[o] += sum * mean;
                    }
            }
            UnitSurgery.ZeroOutgoing(layer, u);
            (stats.Utility[u], stats.Mean[u], stats.Age[u]) = (0, 0, 0);
        }
        UnitSurgery.ResetOptimizerState(learner.Optimizer, layer, units);
        Replaced += units.Count;
    }

    private sealed class UnitStatistics(int units)
    {
        public int Units { get; } = units;

        public double[] Utility { get; } = new double[units];

        public double[] Mean { get; } = new double[units];

        public long[] Age { get; } = new long[units];

        public double Pending { get; set; }
    }
}
