namespace Lifelong.Pretrained;

/// <summary>Masks over a set of parameter deltas δ = θ − θ₀: which coordinates of a task's delta are kept in the merge.</summary>
/// <remarks>
/// <para>A mask is a named set of 0/1 tensors shaped like the deltas. q is the <em>keep</em> probability (or fraction); SoTU's
/// paper speaks of the mask rate p = 1 − q. Randomness is drawn per tensor (or per group owner) from
/// <c>rng.Split(name)</c>, so a mask does not depend on the order the parameters are listed in.</para>
/// <para>Importance masks keep, within each tensor (for groups: within each owner — a weight with its bias, an attention
/// module), the round(q·n) coordinates or groups of largest score, ties broken toward the lower index. Ranking per tensor
/// keeps every layer's share of the delta at q; a global ranking would empty the layers whose deltas are small.</para>
/// </remarks>
public static class DeltaMasks
{
    /// <summary>The default keep probability q = 1/T for a stream of <paramref name="tasks"/> tasks: on average one task
    /// per coordinate (SoTU's rule of thumb, delta sparsity 1 − p ≈ 1/T, as reported by a digest of the paper).</summary>
    public static double DefaultKeep(int tasks) => 1.0 / Math.Max(1, tasks);

    /// <summary>m ~ Bernoulli(q) independently for every coordinate.</summary>
    /// <param name="deltas">Named deltas; only their names and shapes are read.</param>
    /// <param name="keep">q in [0, 1].</param>
    /// <param name="rng">The mask's stream.</param>
    public static OrderedDictionary<string, Tensor> Bernoulli(IReadOnlyDictionary<string, Tensor> deltas, double keep, Rng rng)
    {
        CheckKeep(keep);
        var masks = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, delta) in deltas)
        {
            var stream = rng.Split(name);
            var mask = Tensor.Zeros(delta.Shape);
            var span = mask.Span;
            for (int i = 0; i < span.Length; i++) span[i] = stream.NextDouble() < keep ? 1f : 0f;
            masks[name] = mask;
        }
        return masks;
    }

    /// <summary>A mask choosing coordinates or groups at random (Bernoulli(q) per group) or by importance (the fraction q of largest score).</summary>
    /// <param name="deltas">Named deltas δ.</param>
    /// <param name="keep">q in [0, 1].</param>
    /// <param name="selection">Random, largest |δ| (groups: Σδ²), or largest F·δ² (groups: ΣF·δ²).</param>
    /// <param name="groups">Coordinates, units or attention heads.</param>
    /// <param name="rng">The stream of random selection (unused by importance selection).</param>
    /// <param name="fisher">The diagonal Fisher, named like <paramref name="deltas"/>; required for <see cref="MaskSelection.Fisher"/>.</param>
    /// <param name="heads">Attention heads per attention module; required for <see cref="MaskGroups.Heads"/>.</param>
    public static OrderedDictionary<string, Tensor> Build(IReadOnlyDictionary<string, Tensor> deltas, double keep, MaskSelection selection, MaskGroups groups, Rng rng,
        IReadOnlyDictionary<string, Tensor>? fisher = null, int heads = 0)
    {
        CheckKeep(keep);
        if (selection == MaskSelection.Random && groups == MaskGroups.Coordinates) return Bernoulli(deltas, keep, rng);
        if (selection == MaskSelection.Fisher && fisher is null) throw new ArgumentException("Fisher masks need the Fisher diagonal.", nameof(fisher));

        var layout = MaskLayout.Of(deltas, groups, heads);
        var scores = new double[layout.Count];
        if (selection != MaskSelection.Random)
            foreach (var (name, delta) in deltas)
            {
                var ids = layout.GroupOf(name);
                var d = delta.Span;
                var f = selection == MaskSelection.Fisher ? fisher![name].Span : default;
                for (int i = 0; i < d.Length; i++)
                    scores[ids[i]] += selection == MaskSelection.Fisher ? (double)f[i] * d[i] * d[i] : groups == MaskGroups.Coordinates ? Math.Abs(d[i]) : (double)d[i] * d[i];
            }

        var kept = new bool[layout.Count];
        foreach (var (owner, members) in layout.Owners)
        {
            if (selection == MaskSelection.Random)
            {
                var stream = rng.Split(owner);
                foreach (int g in members) kept[g] = stream.NextDouble() < keep;
                continue;
            }
            int count = (int)Math.Round(keep * members.Count, MidpointRounding.AwayFromZero);
            var ranked = members.ToArray();
            Array.Sort(ranked, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
            for (int k = 0; k < count; k++) kept[ranked[k]] = true;
        }

        var masks = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, delta) in deltas)
        {
            var ids = layout.GroupOf(name);
            var mask = Tensor.Zeros(delta.Shape);
            var span = mask.Span;
            for (int i = 0; i < span.Length; i++) span[i] = kept[ids[i]] ? 1f : 0f;
            masks[name] = mask;
        }
        return masks;
    }

    /// <summary>s = scale · m ⊙ δ, per tensor; scale = 1/q is DARE's rescale (Yu et al. 2024), 1 keeps the deltas as they are.</summary>
    public static OrderedDictionary<string, Tensor> Apply(IReadOnlyDictionary<string, Tensor> masks, IReadOnlyDictionary<string, Tensor> deltas, float scale = 1f)
    {
        var masked = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, delta) in deltas)
        {
            var m = masks[name].Span;
            var d = delta.Span;
            var s = Tensor.Zeros(delta.Shape);
            var span = s.Span;
            for (int i = 0; i < span.Length; i++) span[i] = m[i] * d[i] * scale;
            masked[name] = s;
        }
        return masked;
    }

    /// <summary>The fraction of coordinates a mask keeps.</summary>
    public static double KeptFraction(IReadOnlyDictionary<string, Tensor> masks)
    {
        double kept = 0;
        long total = 0;
        foreach (var mask in masks.Values)
        {
            foreach (float m in mask.Span) kept += m;
            total += mask.Size;
        }
        return total == 0 ? 0 : kept / total;
    }

    private static void CheckKeep(double keep)
    {
        if (!(keep >= 0 && keep <= 1)) throw new ArgumentOutOfRangeException(nameof(keep), keep, "The keep probability q must be in [0, 1].");
    }
}
