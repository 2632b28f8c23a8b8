namespace Lifelong.Pretrained;

/// <summary>How much task deltas overlap: collision rate of their masks and cosine similarity of the masked deltas.</summary>
/// <remarks>
/// <para><b>Collision rate</b> of masks m₁..m_T over the same coordinates: among the coordinates kept by at least one mask,
/// the fraction kept by at least two, |{i : Σₜ mₜ[i] ≥ 2}| / |{i : Σₜ mₜ[i] ≥ 1}| (0 when no coordinate is kept). For
/// independent Bernoulli masks with keep probabilities qₜ, per coordinate P(≥1) = 1 − Πₜ(1 − qₜ) and
/// P(exactly 1) = Σₜ qₜ Π_{s≠t}(1 − q_s), so the expected rate is 1 − P(exactly 1)/P(≥1); with one q for all T tasks,
/// p = 1 − q, that is (1 − p^T − T·q·p^(T−1)) / (1 − p^T). (The measured rate is a ratio of counts, so this is its
/// large-sample limit.) With p = 0.1 and T = 5 it is 0.99955, the "99.96 %" a digest of SoTU reports for a 10 % mask rate.</para>
/// <para><b>Cosine</b> of two masked deltas sᵢ, sⱼ: ⟨sᵢ, sⱼ⟩ / (‖sᵢ‖‖sⱼ‖) over all their coordinates flattened together (0 when
/// either is zero); near 0 is what SoTU calls orthogonal.</para>
/// </remarks>
public static class DeltaDiagnostics
{
    /// <summary>Adds a mask into per-coordinate keep counts (Σₜ mₜ), allocating the counts on first use.</summary>
    public static void Count(OrderedDictionary<string, Tensor> counts, IReadOnlyDictionary<string, Tensor> mask)
    {
        foreach (var (name, m) in mask)
        {
            if (!counts.TryGetValue(name, out var c)) counts[name] = c = Tensor.Zeros(m.Shape);
            var span = c.Span;
            var values = m.Span;
            for (int i = 0; i < span.Length; i++) span[i] += values[i];
        }
    }

    /// <summary>The measured collision rate from per-coordinate keep counts Σₜ mₜ.</summary>
    public static double CollisionRate(IReadOnlyDictionary<string, Tensor> counts)
    {
        long kept = 0, collided = 0;
        foreach (var c in counts.Values)
            foreach (float n in c.Span)
            {
                if (n >= 1) kept++;
                if (n >= 2) collided++;
            }
        return kept == 0 ? 0 : (double)collided / kept;
    }

    /// <summary>The measured collision rate of <paramref name="masks"/>.</summary>
    public static double CollisionRate(IEnumerable<IReadOnlyDictionary<string, Tensor>> masks)
    {
        var counts = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var mask in masks) Count(counts, mask);
        return CollisionRate(counts);
    }

    /// <summary>The expected collision rate of independent Bernoulli masks with keep probabilities <paramref name="keep"/>, 1 − P(exactly one)/P(at least one).</summary>
    public static double ExpectedCollisionRate(IReadOnlyList<double> keep)
    {
        double none = 1, exactlyOne = 0;
        for (int t = 0; t < keep.Count; t++)
        {
            double others = 1;
            for (int s = 0; s < keep.Count; s++) if (s != t) others *= 1 - keep[s];
            exactlyOne += keep[t] * others;
            none *= 1 - keep[t];
        }
        double any = 1 - none;
        return any <= 0 ? 0 : Math.Clamp((any - exactlyOne) / any, 0, 1);   // clamped: with one task the difference rounds to ±1e-16
    }

    /// <summary>cos(a, b) over all coordinates of two named tensor sets (0 if either is zero).</summary>
    public static double Cosine(IReadOnlyDictionary<string, Tensor> a, IReadOnlyDictionary<string, Tensor> b)
    {
        double dot = 0, aa = 0, bb = 0;
        foreach (var (name, x) in a)
        {
            var xs = x.Span;
            var ys = b[name].Span;
            for (int i = 0; i < xs.Length; i++)
            {
                dot += (double)xs[i] * ys[i];
                aa += (double)xs[i] * xs[i];
                bb += (double)ys[i] * ys[i];
            }
        }
        return aa == 0 || bb == 0 ? 0 : dot / Math.Sqrt(aa * bb);
    }

    /// <summary>The mean of cos(sᵢ, sⱼ) over all pairs i &lt; j (NaN with fewer than two).</summary>
    public static double MeanPairwiseCosine(IReadOnlyList<IReadOnlyDictionary<string, Tensor>> masked)
    {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < masked.Count; i++)
            for (int j = i + 1; j < masked.Count; j++)
            {
                sum += Cosine(masked[i], masked[j]);
                pairs++;
            }
        return pairs == 0 ? double.NaN : sum / pairs;
    }
}
