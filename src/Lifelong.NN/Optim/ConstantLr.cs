namespace Lifelong.NN;

/// <summary>η(t) = η₀·f for t &lt; T, then η₀: a constant rate, optionally scaled for the first T steps, as PyTorch's <c>ConstantLR</c>.</summary>
/// <remarks>With the defaults (f = 1, T = 0) the rate stays η₀; PyTorch's defaults are f = 1/3, T = 5.</remarks>
public sealed class ConstantLr : LrScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s groups.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="factor">f, the scale of the first <paramref name="totalIters"/> steps.</param>
    /// <param name="totalIters">T, the number of scaled steps.</param>
    public ConstantLr(Optimizer optimizer, double factor = 1, int totalIters = 0) : base(optimizer)
    {
        if (factor is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(factor), $"ConstantLr: factor {factor} must be in [0, 1].");
        ArgumentOutOfRangeException.ThrowIfNegative(totalIters);
        Factor = factor;
        TotalIters = totalIters;
        Start();
    }

    /// <summary>f.</summary>
    public double Factor { get; }

    /// <summary>T.</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int step) => step < TotalIters ? baseLr * Factor : baseLr;
}
