namespace Lifelong.NN;

/// <summary>Architecture options of <see cref="Cnn"/>; the defaults are the L2 Init paper's network.</summary>
/// <param name="Channels">Filters in each convolution.</param>
/// <param name="KernelSize">Side of each convolution kernel.</param>
/// <param name="Padding">Zero padding of each convolution; 0 ("valid") as PyTorch's default, so 28×28 → 24 → 12 → 8 → 4.</param>
/// <param name="Hidden">Widths of the fully connected hidden layers.</param>
/// <param name="Activation">The hidden activation; CReLU doubles convolution channels (axis 1) and fully connected widths.</param>
public sealed record CnnOptions(int Channels = 16, int KernelSize = 5, int Padding = 0, int[]? Hidden = null, Activation Activation = Activation.Relu)
{
    /// <summary>The fully connected hidden widths, [100, 100] unless given.</summary>
    public int[] HiddenWidths => Hidden ?? [100, 100];
}
