using System.Text.Json.Nodes;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>A fixed-size memory of past samples (inputs, labels, heads and, for DER, logits) filled by reservoir sampling:
/// after n samples seen, each is in the buffer with probability capacity/n — uniform over the whole stream.</summary>
/// <remarks>
/// Reservoir update as Mammoth's <c>utils/buffer.py</c> (Vitter's algorithm R): the first <c>capacity</c> samples fill it; then
/// sample n (0-based) draws r ~ U{0..n} and replaces slot r when r &lt; capacity. The class-balanced variant (Chaudhry et al.
/// 2019 note it helps with tiny memories) instead, when full, drops a sample of the largest class or lets it replace a
/// random sample of the largest class (GDumb's greedy rule). Inputs are stored exactly as the loader produced them.
/// </remarks>
public sealed class ReservoirBuffer(int capacity, int sampleSize, bool classBalanced = false)
{
    private readonly float[] _inputs = new float[capacity * sampleSize];
    private readonly int[] _labels = new int[capacity];
    private readonly int[] _heads = new int[capacity];
    private float[] _logits = [];
    private int _logitWidth;

    /// <summary>Slots.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "buffer size must be ≥ 1.");

    /// <summary>Values per stored input.</summary>
    public int SampleSize => sampleSize;

    /// <summary>Samples held.</summary>
    public int Count { get; private set; }

    /// <summary>Samples offered so far.</summary>
    public long Seen { get; private set; }

    /// <summary>Offers every row of <paramref name="batch"/> (first <paramref name="rows"/> rows) to the buffer, with its logits when given.</summary>
    public void Add(TrainingBatch batch, int rows, Rng rng, ReadOnlySpan<float> logits = default, int logitWidth = 0)
    {
        for (int i = 0; i < rows; i++)
        {
            int slot = ChooseSlot(batch.Labels[i], rng);
            Seen++;
            if (slot < 0) continue;
            batch.Inputs.AsSpan(i * sampleSize, sampleSize).CopyTo(_inputs.AsSpan(slot * sampleSize, sampleSize));
            _labels[slot] = batch.Labels[i];
            _heads[slot] = batch.Heads[i];
            if (logitWidth > 0)
            {
                if (_logitWidth == 0) (_logitWidth, _logits) = (logitWidth, new float[Capacity * logitWidth]);
                logits.Slice(i * logitWidth, logitWidth).CopyTo(_logits.AsSpan(slot * logitWidth, logitWidth));
            }
        }
    }

    /// <summary>Up to <paramref name="size"/> distinct stored samples chosen uniformly, with their stored logits (or null).</summary>
    public (TrainingBatch Batch, Tensor? Logits) Sample(int size, int[] sampleShape, Rng rng)
    {
        int n = Math.Min(size, Count);
        var chosen = rng.Permutation(Count).AsSpan(0, n).ToArray();
        var inputs = new float[n * sampleSize];
        var labels = new int[n];
        var heads = new int[n];
        var logits = _logitWidth > 0 ? new float[n * _logitWidth] : null;
        for (int k = 0; k < n; k++)
        {
            int slot = chosen[k];
            _inputs.AsSpan(slot * sampleSize, sampleSize).CopyTo(inputs.AsSpan(k * sampleSize));
            (labels[k], heads[k]) = (_labels[slot], _heads[slot]);
            if (logits is not null) _logits.AsSpan(slot * _logitWidth, _logitWidth).CopyTo(logits.AsSpan(k * _logitWidth));
        }
        var batch = new TrainingBatch(inputs, [n, .. sampleShape], labels, heads);
        return (batch, logits is null ? null : Tensor.FromArray(logits, n, _logitWidth));
    }

    /// <summary>Saves the buffer into <paramref name="state"/> under <paramref name="prefix"/>.</summary>
    public void Save(MethodState state, string prefix)
    {
        state.Tensors[$"{prefix}.inputs"] = Tensor.FromArray((float[])_inputs.Clone(), Math.Max(1, _inputs.Length));
        if (_logitWidth > 0) state.Tensors[$"{prefix}.logits"] = Tensor.FromArray((float[])_logits.Clone(), _logits.Length);
        state.Values[prefix] = new JsonObject
        {
            ["count"] = Count,
            ["seen"] = Seen,
            ["logit_width"] = _logitWidth,
            ["labels"] = new JsonArray([.. _labels.Select(v => JsonValue.Create(v))]),
            ["heads"] = new JsonArray([.. _heads.Select(v => JsonValue.Create(v))]),
        };
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(MethodState state, string prefix)
    {
        var values = state.Values[prefix]!.AsObject();
        Count = values["count"]!.GetValue<int>();
        Seen = values["seen"]!.GetValue<long>();
        _logitWidth = values["logit_width"]!.GetValue<int>();
        state.Tensors[$"{prefix}.inputs"].Span[.._inputs.Length].CopyTo(_inputs);
        if (_logitWidth > 0) _logits = state.Tensors[$"{prefix}.logits"].Span.ToArray();
        values["labels"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray().CopyTo(_labels, 0);
        values["heads"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray().CopyTo(_heads, 0);
    }

    private int ChooseSlot(int label, Rng rng)
    {
        if (Count < Capacity) return Count++;
        if (classBalanced)
        {
            // GDumb's greedy balancing: a sample of a class that is already the (joint) largest is dropped; otherwise it
            // replaces a random sample of the largest class.
            var counts = _labels.AsSpan(0, Count).ToArray().GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
            int largest = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key;
            if (counts.GetValueOrDefault(label) >= counts[largest]) return -1;
            var slots = Enumerable.Range(0, Count).Where(s => _labels[s] == largest).ToArray();
            return slots[rng.NextInt(slots.Length)];
        }
        long r = (long)(rng.NextDouble() * (Seen + 1));
        return r < Capacity ? (int)r : -1;
    }
}
