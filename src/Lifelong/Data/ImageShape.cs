namespace Lifelong.Data;

/// <summary>The shape of one image: channels × height × width, stored channel-major (C, H, W) like PyTorch.</summary>
/// <param name="Channels">Colour channels: 1 for MNIST, 3 for CIFAR.</param>
/// <param name="Height">Rows.</param>
/// <param name="Width">Columns.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image, C·H·W.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Pixels per channel, H·W.</summary>
    public int Plane => Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
