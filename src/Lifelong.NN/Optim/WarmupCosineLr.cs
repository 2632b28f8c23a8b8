namespace Lifelong.NN;

/// <summary>Linear warmup over W steps, then cosine annealing to η_min at step T: the usual vision-transformer schedule.</summary>
/// <remarks>
/// <code>
/// η(t) = η₀·(s + (1 − s)·t/W)                                       for t &lt; W
/// η(t) = η_min + (η₀ − η_min)·(1 + cos(π·(t − W)/(T − W)))/2        for W ≤ t ≤ T
/// η(t) = η_min                                                      for t &gt; T
/// </code>
/// With the start factor s = 0 (the default) this is Hugging Face's <c>get_cosine_schedule_with_warmup</c> (whose first
/// step has rate 0) with a floor η_min; timm and DeiT start the warmup at a small rate instead, which s expresses as a
/// fraction of η₀.
/// </remarks>
public sealed class WarmupCosineLr : LrScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s groups.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="warmupSteps">W, the number of warmup steps (0 for none).</param>
    /// <param name="totalSteps">T, the step at which the rate reaches <paramref name="etaMin"/>; greater than W.</param>
    /// <param name="etaMin">η_min, the final rate.</param>
    /// <param name="warmupStartFactor">s, the rate at step 0 as a fraction of η₀.</param>
    public WarmupCosineLr(Optimizer optimizer, int warmupSteps, int totalSteps, double etaMin = 0, double warmupStartFactor = 0) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), $"WarmupCosineLr: total steps {totalSteps} must exceed the {warmupSteps} warmup steps.");
        if (warmupStartFactor is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(warmupStartFactor), $"WarmupCosineLr: start factor {warmupStartFactor} must be in [0, 1].");
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        EtaMin = etaMin;
        WarmupStartFactor = warmupStartFactor;
        Start();
    }

    /// <summary>W.</summary>
    public int WarmupSteps { get; }

    /// <summary>T.</summary>
    public int TotalSteps { get; }

    /// <summary>η_min.</summary>
    public double EtaMin { get; }

    /// <summary>s.</summary>
    public double WarmupStartFactor { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int step)
    {
        if (step < WarmupSteps) return baseLr * (WarmupStartFactor + (1 - WarmupStartFactor) * step / WarmupSteps);
        if (step >= TotalSteps) return EtaMin;
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(Math.PI * progress)) / 2;
    }
}
