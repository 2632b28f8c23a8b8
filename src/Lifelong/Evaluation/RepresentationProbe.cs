using Lifelong.Results;

namespace Lifelong.Evaluation;

/// <summary>Statistics of a hidden layer's activations on probe inputs: dead and dormant units, srank, effective rank.</summary>
/// <remarks>Definitions in docs/metrics.md and ../shared/papers/plasticity.md §5.</remarks>
public static class RepresentationProbe
{
    /// <summary>srank_δ = min{k : Σ_{i≤k} σᵢ / Σⱼ σⱼ ≥ 1 − δ} (Kumar, Agarwal, Ghosh, Levine 2021); 0 for a zero matrix.</summary>
    /// <remarks>The paper's definition. The L2 Init code computes <c>len(cumfrac[cumfrac &lt; 1 − δ])</c>, one less; Dohare et al.
    /// use a strict "&gt;". A tiny relative tolerance keeps an exact 1 − δ from being missed through rounding.</remarks>
    public static int Srank(IReadOnlyList<double> singularValues, double delta = 0.01)
    {
        double total = singularValues.Sum();
        if (total <= 0) return 0;
        double cumulative = 0;
        for (int k = 0; k < singularValues.Count; k++)
        {
            cumulative += singularValues[k];
            if (cumulative / total >= 1 - delta - 1e-12) return k + 1;
        }
        return singularValues.Count;
    }

    /// <summary>Effective rank exp(−Σ pᵢ ln pᵢ), pᵢ = σᵢ / Σσ (Roy &amp; Vetterli 2007), skipping σ = 0; 0 for a zero matrix.</summary>
    public static double EffectiveRank(IReadOnlyList<double> singularValues)
    {
        double total = singularValues.Sum();
        if (total <= 0) return 0;
        double entropy = 0;
        foreach (double sigma in singularValues)
            if (sigma > 0)
            {
                double p = sigma / total;
                entropy -= p * Math.Log(p);
            }
        return Math.Exp(entropy);
    }

    /// <summary>Probe of a fully connected layer's post-activation outputs.</summary>
    /// <param name="name">The layer's name.</param>
    /// <param name="activations">(rows, units) row-major.</param>
    /// <param name="rows">Probe inputs.</param>
    /// <param name="units">The layer's width.</param>
    /// <param name="dormantThreshold">τ: unit i is dormant when sᵢ = mean|hᵢ| / (mean over units of mean|h|) ≤ τ (ReDo, Sokar et al. 2023).</param>
    /// <param name="delta">δ of srank.</param>
    public static LayerProbe Measure(string name, ReadOnlySpan<float> activations, int rows, int units, double dormantThreshold = 0.025, double delta = 0.01)
    {
        if (activations.Length != rows * units) throw new ArgumentException($"Probe '{name}': {activations.Length} values are not {rows} × {units}.", nameof(activations));
        var meanAbs = new double[units];
        var nonZero = new bool[units];
        for (int r = 0; r < rows; r++)
            for (int u = 0; u < units; u++)
            {
                float h = activations[r * units + u];
                meanAbs[u] += Math.Abs(h);
                if (h != 0) nonZero[u] = true;
            }
        for (int u = 0; u < units; u++) meanAbs[u] /= Math.Max(rows, 1);
        var sigma = SingularValues.Of(activations, rows, units);
        return new LayerProbe(name, DeadFraction(nonZero), DormantFraction(meanAbs, dormantThreshold), Srank(sigma, delta), EffectiveRank(sigma));
    }

    /// <summary>Probe of a convolutional layer's (N, C, H·W) feature maps, one "unit" per channel.</summary>
    /// <remarks>A channel is dead when it is zero at every position of every input; its dormant score uses mean |h| over
    /// inputs and positions (as ReDo scores convolutional filters); the ranks are those of the (N, C) matrix of spatially
    /// averaged activations (global average pooling), the usual feature matrix of a conv layer.</remarks>
    public static LayerProbe MeasureChannels(string name, ReadOnlySpan<float> activations, int n, int channels, int spatial, double dormantThreshold = 0.025, double delta = 0.01)
    {
        if (activations.Length != n * channels * spatial) throw new ArgumentException($"Probe '{name}': {activations.Length} values are not {n} × {channels} × {spatial}.", nameof(activations));
        var pooled = new float[n * channels];
        var meanAbs = new double[channels];
        var nonZero = new bool[channels];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
            {
                var map = activations.Slice((i * channels + c) * spatial, spatial);
                double sum = 0, absSum = 0;
                foreach (float h in map)
                {
                    sum += h;
                    absSum += Math.Abs(h);
                    if (h != 0) nonZero[c] = true;
                }
                pooled[i * channels + c] = (float)(sum / spatial);
                meanAbs[c] += absSum / spatial;
            }
        for (int c = 0; c < channels; c++) meanAbs[c] /= Math.Max(n, 1);
        var sigma = SingularValues.Of(pooled, n, channels);
        return new LayerProbe(name, DeadFraction(nonZero), DormantFraction(meanAbs, dormantThreshold), Srank(sigma, delta), EffectiveRank(sigma));
    }

    private static double DeadFraction(bool[] nonZero) => nonZero.Length == 0 ? 0 : (double)nonZero.Count(active => !active) / nonZero.Length;

    private static double DormantFraction(double[] meanAbs, double threshold)
    {
        if (meanAbs.Length == 0) return 0;
        double layerMean = meanAbs.Average();
        if (layerMean == 0) return 1; // every unit silent: all dormant
        return (double)meanAbs.Count(m => m / layerMean <= threshold) / meanAbs.Length;
    }
}
