using System.Text.Json.Nodes;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>How a <see cref="ReplayBuffer"/> decides which samples to keep once it is full.</summary>
public enum BufferPolicy
{
    /// <summary>Reservoir sampling (Vitter 1985): after n samples every one of them is in the buffer with probability |M|/n.</summary>
    Reservoir,

    /// <summary>Class-balancing reservoir (Chrysakis &amp; Moens 2020): a sample of a class that is not among the largest
    /// in memory replaces a random sample of a largest class; a sample of a largest class y replaces a random stored
    /// sample of y with probability m_y/n_y (stored / seen of y), so memory tends to equal shares per class.</summary>
    ClassBalanced,

    /// <summary>GDumb's greedy balancer (Prabhu et al. 2020): keep a sample unless its class is already among the largest
    /// in a full memory; to make room, drop a random sample of a largest class.</summary>
    Greedy,
}

/// <summary>A fixed-size memory of training rows (inputs, labels, heads and optionally the logits seen at insertion).</summary>
/// <remarks>
/// A class is a (head, label) pair, so task-incremental streams whose tasks reuse labels 0..C−1 keep them apart.
/// Every random choice comes from the buffer's own <see cref="Rng"/>, saved with the rest by <see cref="Save"/>.
/// </remarks>
public sealed class ReplayBuffer
{
    private readonly Rng _rng;
    private readonly Dictionary<long, int> _stored = [];
    private readonly Dictionary<long, long> _seenPerClass = [];
    private float[] _inputs = [];
    private float[]? _logits;
    private int[] _labels;
    private int[] _heads;
    private int[] _sampleShape = [];
    private int _sampleSize;
    private int _logitCount;

    /// <summary>An empty buffer of <paramref name="capacity"/> rows.</summary>
    public ReplayBuffer(int capacity, BufferPolicy policy, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        (Capacity, Policy, _rng) = (capacity, policy, rng);
        (_labels, _heads) = (new int[capacity], new int[capacity]);
    }

    /// <summary>The most rows the buffer holds.</summary>
    public int Capacity { get; }

    /// <summary>The replacement policy.</summary>
    public BufferPolicy Policy { get; }

    /// <summary>Rows stored.</summary>
    public int Count { get; private set; }

    /// <summary>Rows offered to <see cref="Add"/> so far.</summary>
    public long Seen { get; private set; }

    /// <summary>Stored rows per (head, label) class, keyed by <c>head·2³² + label</c>.</summary>
    public IReadOnlyDictionary<long, int> StoredPerClass => _stored;

    /// <summary>The label of stored row <paramref name="slot"/>.</summary>
    public int LabelAt(int slot) => _labels[slot];

    /// <summary>Offers every row of <paramref name="batch"/>, in order, with its logits (N, C) when the buffer keeps them.</summary>
    public void Add(TrainingBatch batch, Tensor? logits = null)
    {
        if (batch.Count == 0) return;
        if (_sampleSize == 0)
        {
            (_sampleShape, _sampleSize) = (batch.Shape[1..], batch.SampleSize);
            _inputs = new float[Capacity * _sampleSize];
        }
        if (batch.SampleSize != _sampleSize) throw new ArgumentException($"ReplayBuffer: rows of {batch.SampleSize} values, the buffer holds rows of {_sampleSize}.", nameof(batch));
        if (logits is not null && _logits is null)
        {
            _logitCount = logits.Shape[1];
            _logits = new float[Capacity * _logitCount];
        }
        for (int i = 0; i < batch.Count; i++)
        {
            int slot = ChooseSlot(Key(batch.Heads[i], batch.Labels[i]));
            if (slot >= 0) Write(slot, batch, i, logits);
        }
    }

    /// <summary><paramref name="count"/> stored rows drawn uniformly without replacement (fewer when fewer are stored), with their logits.</summary>
    public (TrainingBatch Batch, Tensor? Logits) Sample(int count)
    {
        count = Math.Min(count, Count);
        var slots = new int[Count];
        for (int i = 0; i < slots.Length; i++) slots[i] = i;
        for (int i = 0; i < count; i++)
        {
            int j = _rng.NextInt(i, Count);
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }
        return Rows(slots.AsSpan(0, count));
    }

    /// <summary>Every stored row, in slot order.</summary>
    public (TrainingBatch Batch, Tensor? Logits) All() => Rows([.. Enumerable.Range(0, Count)]);

    private (TrainingBatch, Tensor?) Rows(ReadOnlySpan<int> slots)
    {
        var inputs = new float[slots.Length * _sampleSize];
        var labels = new int[slots.Length];
        var heads = new int[slots.Length];
        var logits = _logits is null ? null : new float[slots.Length * _logitCount];
        for (int i = 0; i < slots.Length; i++)
        {
            int s = slots[i];
            _inputs.AsSpan(s * _sampleSize, _sampleSize).CopyTo(inputs.AsSpan(i * _sampleSize));
            (labels[i], heads[i]) = (_labels[s], _heads[s]);
            _logits?.AsSpan(s * _logitCount, _logitCount).CopyTo(logits.AsSpan(i * _logitCount));
        }
        var batch = new TrainingBatch(inputs, [slots.Length, .. _sampleShape], labels, heads);
        return (batch, logits is null ? null : Tensor.FromArray(logits, slots.Length, _logitCount));
    }

    private static long Key(int head, int label) => ((long)head << 32) | (uint)label;

    /// <summary>The slot the new row of class <paramref name="key"/> goes to, or −1 to drop it.</summary>
    private int ChooseSlot(long key)
    {
        long seen = Seen++;
        long seenOfClass = _seenPerClass[key] = _seenPerClass.GetValueOrDefault(key) + 1;
        if (Count < Capacity) return Count;
        switch (Policy)
        {
            case BufferPolicy.Reservoir:
                long r = (long)(_rng.NextDouble() * (seen + 1));
                return r < Capacity ? (int)r : -1;
            default:
                int largest = _stored.Values.Max();
                int mine = _stored.GetValueOrDefault(key);
                if (mine < largest)
                {
                    var largestClasses = _stored.Where(e => e.Value == largest).Select(e => e.Key).Order().ToList();
                    return RandomSlotOf(largestClasses[_rng.NextInt(largestClasses.Count)]);
                }
                if (Policy == BufferPolicy.Greedy) return -1;
                return _rng.NextDouble() * seenOfClass < mine ? RandomSlotOf(key) : -1;
        }
    }

    private int RandomSlotOf(long key)
    {
        var slots = new List<int>();
        for (int s = 0; s < Count; s++) if (Key(_heads[s], _labels[s]) == key) slots.Add(s);
        return slots[_rng.NextInt(slots.Count)];
    }

    private void Write(int slot, TrainingBatch batch, int row, Tensor? logits)
    {
        if (slot == Count) Count++;
        else Decrement(Key(_heads[slot], _labels[slot]));
        batch.Inputs.AsSpan(row * _sampleSize, _sampleSize).CopyTo(_inputs.AsSpan(slot * _sampleSize));
        (_labels[slot], _heads[slot]) = (batch.Labels[row], batch.Heads[row]);
        if (logits is not null && _logits is not null) logits.Span.Slice(row * _logitCount, _logitCount).CopyTo(_logits.AsSpan(slot * _logitCount));
        long key = Key(_heads[slot], _labels[slot]);
        _stored[key] = _stored.GetValueOrDefault(key) + 1;
    }

    private void Decrement(long key)
    {
        if (--_stored[key] == 0) _stored.Remove(key);
    }

    /// <summary>Writes the rows, counters and RNG state under <paramref name="prefix"/>.</summary>
    public void Save(MethodState state, string prefix)
    {
        var values = new JsonObject
        {
            ["count"] = Count,
            ["seen"] = Seen,
            ["sample_shape"] = new JsonArray([.. _sampleShape.Select(d => JsonValue.Create(d))]),
            ["logit_count"] = _logitCount,
            ["seen_per_class"] = new JsonArray([.. _seenPerClass.OrderBy(e => e.Key).Select(e => new JsonArray(e.Key, e.Value))]),
        };
        state.Values[prefix] = values;
        state.SetRng($"{prefix}.rng", _rng);
        if (Count == 0) return;
        state.Tensors[$"{prefix}.inputs"] = Tensor.FromArray(_inputs[..(Count * _sampleSize)], Count, _sampleSize);
        state.Tensors[$"{prefix}.labels"] = Tensor.FromArray([.. _labels[..Count].Select(l => (float)l)], Count);
        state.Tensors[$"{prefix}.heads"] = Tensor.FromArray([.. _heads[..Count].Select(h => (float)h)], Count);
        if (_logits is not null) state.Tensors[$"{prefix}.logits"] = Tensor.FromArray(_logits[..(Count * _logitCount)], Count, _logitCount);
    }

    /// <summary>Restores what <see cref="Save"/> wrote under <paramref name="prefix"/>.</summary>
    public void Load(MethodState state, string prefix)
    {
        var values = state.Values[prefix]?.AsObject() ?? throw new InvalidDataException($"Method state: no replay buffer '{prefix}'.");
        state.GetRng($"{prefix}.rng", _rng);
        Seen = values["seen"]!.GetValue<long>();
        int count = values["count"]!.GetValue<int>();
        _sampleShape = [.. values["sample_shape"]!.AsArray().Select(d => d!.GetValue<int>())];
        _sampleSize = _sampleShape.Length == 0 ? 0 : _sampleShape.Aggregate(1, (a, b) => a * b);
        _logitCount = values["logit_count"]!.GetValue<int>();
        _seenPerClass.Clear();
        foreach (var pair in values["seen_per_class"]!.AsArray()) _seenPerClass[pair![0]!.GetValue<long>()] = pair[1]!.GetValue<long>();
        _stored.Clear();
        Count = 0;
        _inputs = new float[Capacity * _sampleSize];
        _logits = state.Tensors.ContainsKey($"{prefix}.logits") ? new float[Capacity * _logitCount] : null;
        if (count == 0) return;
        var batch = new TrainingBatch(state.Tensors[$"{prefix}.inputs"].ToArray(), [count, .. _sampleShape],
            [.. state.Tensors[$"{prefix}.labels"].ToArray().Select(l => (int)l)], [.. state.Tensors[$"{prefix}.heads"].ToArray().Select(h => (int)h)]);
        var logits = _logits is null ? null : state.Tensors[$"{prefix}.logits"];
        for (int i = 0; i < count; i++) Write(i, batch, i, logits);
    }
}
