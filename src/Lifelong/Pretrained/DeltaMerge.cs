namespace Lifelong.Pretrained;

/// <summary>An incremental merge of masked task deltas onto pretrained weights: θ = θ₀ + Σₜ cₜ · sₜ, sₜ = mₜ ⊙ δₜ (optionally rescaled).</summary>
/// <remarks>
/// The sum Σₜ cₜ·sₜ is kept and grows by one term per task, in float32, in task order: after <see cref="Add"/> of task t,
/// <see cref="Merged"/> is exactly θ₀ + ((c₀s₀ + c₁s₁) + …) + cₜsₜ evaluated element by element, so the merged model is
/// available after any task and no old delta or data is needed to extend it.
/// </remarks>
public sealed class DeltaMerge
{
    private readonly OrderedDictionary<string, Tensor> _sum = new(StringComparer.Ordinal);

    /// <summary>A merge onto <paramref name="pretrained"/> θ₀ (copied), with no task yet.</summary>
    public DeltaMerge(IReadOnlyDictionary<string, Tensor> pretrained)
    {
        Pretrained = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in pretrained)
        {
            Pretrained[name] = value.Clone();
            _sum[name] = Tensor.Zeros(value.Shape);
        }
    }

    /// <summary>θ₀.</summary>
    public OrderedDictionary<string, Tensor> Pretrained { get; }

    /// <summary>Σₜ cₜ·sₜ so far (zero before the first task).</summary>
    public IReadOnlyDictionary<string, Tensor> Sum => _sum;

    /// <summary>Tasks merged so far.</summary>
    public int Tasks { get; private set; }

    /// <summary>δ = θ − θ₀ for every tensor of <paramref name="tuned"/> named in θ₀.</summary>
    public OrderedDictionary<string, Tensor> Delta(IReadOnlyDictionary<string, Tensor> tuned)
    {
        var delta = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p0) in Pretrained)
        {
            var theta = tuned.TryGetValue(name, out var t) ? t : throw new ArgumentException($"Delta: no tensor '{name}' in the tuned weights.", nameof(tuned));
            if (theta.Shape != p0.Shape) throw new ArgumentException($"Delta: '{name}' is {theta.Shape}, θ₀ {p0.Shape}.", nameof(tuned));
            var d = Tensor.Zeros(p0.Shape);
            var span = d.Span;
            var a = theta.Span;
            var b = p0.Span;
            for (int i = 0; i < span.Length; i++) span[i] = a[i] - b[i];
            delta[name] = d;
        }
        return delta;
    }

    /// <summary>Adds cₜ · sₜ to the sum (one task).</summary>
    /// <param name="masked">sₜ, named like θ₀.</param>
    /// <param name="coefficient">cₜ; 1 is plain task arithmetic on the masked deltas.</param>
    public void Add(IReadOnlyDictionary<string, Tensor> masked, float coefficient = 1f)
    {
        foreach (var (name, sum) in _sum)
        {
            var s = masked.TryGetValue(name, out var t) ? t.Span : throw new ArgumentException($"Merge: no masked delta '{name}'.", nameof(masked));
            var span = sum.Span;
            if (s.Length != span.Length) throw new ArgumentException($"Merge: '{name}' has {s.Length} values, θ₀ {span.Length}.", nameof(masked));
            for (int i = 0; i < span.Length; i++) span[i] += coefficient * s[i];
        }
        Tasks++;
    }

    /// <summary>θ₀ + Σₜ cₜ·sₜ, freshly allocated.</summary>
    public OrderedDictionary<string, Tensor> Merged()
    {
        var merged = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, p0) in Pretrained)
        {
            var theta = Tensor.Zeros(p0.Shape);
            var span = theta.Span;
            var a = p0.Span;
            var s = _sum[name].Span;
            for (int i = 0; i < span.Length; i++) span[i] = a[i] + s[i];
            merged[name] = theta;
        }
        return merged;
    }

    /// <summary>Restores a saved sum (after a resume) for <paramref name="tasks"/> merged tasks.</summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> sum, int tasks)
    {
        foreach (var (name, target) in _sum)
        {
            var saved = sum.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"Merge state: no sum for '{name}'.");
            if (saved.Shape != target.Shape) throw new InvalidDataException($"Merge state: '{name}' has shape {saved.Shape}, θ₀ {target.Shape}.");
            saved.Span.CopyTo(target.Span);
        }
        Tasks = tasks;
    }
}
