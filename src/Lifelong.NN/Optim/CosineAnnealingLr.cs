namespace Lifelong.NN;

/// <summary>η(t) = η_min + (η₀ − η_min)·(1 + cos(π·t/T))/2 for t ≤ T, then η_min, as PyTorch's <c>CosineAnnealingLR</c>.</summary>
/// <remarks>
/// Up to T this is PyTorch's closed form. After T PyTorch follows the cosine back up (a period of 2T); Lifelong holds
/// η_min instead, because a run longer than its schedule should not see its rate rise again.
/// SGDR: Stochastic Gradient Descent with Warm Restarts (Loshchilov and Hutter, 2017).
/// </remarks>
public sealed class CosineAnnealingLr : LrScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s groups.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="tMax">T, the number of steps to anneal over.</param>
    /// <param name="etaMin">η_min, the rate reached at step T.</param>
    public CosineAnnealingLr(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        TMax = tMax;
        EtaMin = etaMin;
        Start();
    }

    /// <summary>T.</summary>
    public int TMax { get; }

    /// <summary>η_min.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int step) =>
        step >= TMax ? EtaMin : EtaMin + (baseLr - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}
