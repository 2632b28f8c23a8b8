using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>Nearest class mean by cosine: logit_c(h) = ⟨h, μ_c⟩ / (‖h‖‖μ_c‖), μ_c the mean feature of class c seen so far.</summary>
/// <remarks>
/// SimpleCIL's classifier (Zhou et al. 2023, "Revisiting Class-Incremental Learning with Pre-Trained Models"): the prototypes
/// replace the classifier weights and are never trained. Sums are accumulated in double. A class without a prototype
/// scores −2, below every cosine, so it is predicted only while no class has one; a zero feature vector scores 0 everywhere.
/// </remarks>
public sealed class PrototypeHead(int slots) : ClassHead(slots)
{
    private double[] _sums = [];   // (Slots, D)
    private long[] _counts = new long[slots];
    private int _dim;

    /// <summary>The feature width D (0 before the first observation).</summary>
    public int Dim => _dim;

    /// <summary>Samples seen per slot.</summary>
    public IReadOnlyList<long> Counts => _counts;

    /// <summary>The mean feature of <paramref name="slot"/> (empty before its first sample).</summary>
    public double[] Prototype(int slot) =>
        _counts[slot] == 0 ? [] : [.. _sums.AsSpan(slot * _dim, _dim).ToArray().Select(s => s / _counts[slot])];

    /// <inheritdoc/>
    public override void BeginTask(int samples) { }

    /// <inheritdoc/>
    public override void Observe(Tensor features, ReadOnlySpan<int> slots)
    {
        int n = features.Shape[0], d = features.Shape[1];
        if (_dim == 0) (_dim, _sums) = (d, new double[Slots * d]);
        if (d != _dim) throw new ArgumentException($"Prototype head: features of width {d}, expected {_dim}.", nameof(features));
        var x = features.Span;
        for (int i = 0; i < n; i++)
        {
            int c = slots[i];
            for (int j = 0; j < d; j++) _sums[c * d + j] += x[i * d + j];
            _counts[c]++;
        }
    }

    /// <inheritdoc/>
    public override void EndTask() { }

    /// <inheritdoc/>
    public override Tensor Logits(Tensor features)
    {
        int n = features.Shape[0], d = features.Shape[1];
        var logits = Tensor.Full(new Shape(n, Slots), -2f);
        if (_dim == 0) return logits;
        if (d != _dim) throw new ArgumentException($"Prototype head: features of width {d}, expected {_dim}.", nameof(features));
        var norms = new double[Slots];
        for (int c = 0; c < Slots; c++)
        {
            double sq = 0;
            for (int j = 0; j < d; j++) sq += _sums[c * d + j] * _sums[c * d + j];
            norms[c] = Math.Sqrt(sq);   // ‖Σh‖ = count·‖μ‖; the count cancels in the cosine
        }
        var x = features.Span;
        var y = logits.Span;
        for (int i = 0; i < n; i++)
        {
            double hh = 0;
            for (int j = 0; j < d; j++) hh += (double)x[i * d + j] * x[i * d + j];
            double hn = Math.Sqrt(hh);
            for (int c = 0; c < Slots; c++)
            {
                if (_counts[c] == 0) continue;
                double dot = 0;
                for (int j = 0; j < d; j++) dot += x[i * d + j] * _sums[c * d + j];
                y[i * Slots + c] = hn == 0 || norms[c] == 0 ? 0f : (float)(dot / (hn * norms[c]));
            }
        }
        return logits;
    }

    /// <inheritdoc/>
    public override void Save(MethodState state, string prefix)
    {
        state.Values[$"{prefix}.dim"] = _dim;
        StateArrays.Set(state, $"{prefix}.sums", _sums);
        StateArrays.Set(state, $"{prefix}.counts", _counts);
    }

    /// <inheritdoc/>
    public override void Load(MethodState state, string prefix)
    {
        _dim = StateArrays.Node(state, $"{prefix}.dim").GetValue<int>();
        _sums = StateArrays.GetDoubles(state, $"{prefix}.sums");
        _counts = StateArrays.GetLongs(state, $"{prefix}.counts");
        if (_counts.Length != Slots || _sums.Length != Slots * _dim) throw new InvalidDataException($"Prototype head state '{prefix}' does not match {Slots} classes.");
    }
}
