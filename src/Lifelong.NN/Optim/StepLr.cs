namespace Lifelong.NN;

/// <summary>η(t) = η₀·γ^⌊t / k⌋: the rate decays by γ every k steps, as PyTorch's <c>StepLR</c>.</summary>
public sealed class StepLr : LrScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s groups.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="stepSize">k, the number of steps between decays.</param>
    /// <param name="gamma">γ, the decay factor.</param>
    public StepLr(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
        Start();
    }

    /// <summary>k.</summary>
    public int StepSize { get; }

    /// <summary>γ.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double LrAt(double baseLr, int step) => baseLr * Math.Pow(Gamma, step / StepSize);
}
