using Lifelong.Tensors;

namespace Lifelong.Data;

/// <summary>A random augmentation applied to one image (values in [0, 1], before normalisation) each time it is drawn.</summary>
public interface IImageTransform
{
    /// <summary>Transforms <paramref name="image"/> (C, H, W) in place, drawing randomness from <paramref name="rng"/>.</summary>
    void Apply(Span<float> image, ImageShape shape, Rng rng);
}

/// <summary>Pads the image with <see cref="Padding"/> zeros on every side and cuts a random H × W window, as torchvision's <c>RandomCrop(size, padding)</c>.</summary>
/// <param name="Padding">Zero pixels added on each side; CIFAR's usual value is 4.</param>
public sealed record RandomCrop(int Padding = 4) : IImageTransform
{
    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Rng rng)
    {
        int dy = rng.NextInt(2 * Padding + 1) - Padding; // window offset in the unpadded image
        int dx = rng.NextInt(2 * Padding + 1) - Padding;
        if (dx == 0 && dy == 0) return;
        var source = image.ToArray();
        for (int c = 0; c < shape.Channels; c++)
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++)
                {
                    int sy = y + dy, sx = x + dx;
                    bool inside = (uint)sy < (uint)shape.Height && (uint)sx < (uint)shape.Width;
                    image[(c * shape.Height + y) * shape.Width + x] = inside ? source[(c * shape.Height + sy) * shape.Width + sx] : 0f;
                }
    }
}

/// <summary>Mirrors the image left–right with probability <see cref="Probability"/>, as torchvision's <c>RandomHorizontalFlip</c>.</summary>
/// <param name="Probability">Chance of flipping; 0.5 by default.</param>
public sealed record HorizontalFlip(float Probability = 0.5f) : IImageTransform
{
    /// <inheritdoc/>
    public void Apply(Span<float> image, ImageShape shape, Rng rng)
    {
        if (rng.NextFloat() >= Probability) return;
        for (int row = 0; row < shape.Channels * shape.Height; row++) image.Slice(row * shape.Width, shape.Width).Reverse();
    }
}
