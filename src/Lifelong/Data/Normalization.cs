namespace Lifelong.Data;

/// <summary>Per-channel affine normalisation of pixels already in [0, 1]: x′ = (x − mean_c) / std_c, as torchvision's <c>Normalize</c>.</summary>
/// <param name="Mean">Per-channel means; a single value applies to every channel.</param>
/// <param name="Std">Per-channel standard deviations; a single value applies to every channel.</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>Pixels stay in [0, 1] (mean 0, std 1): MNIST as Dohare et al. feed it.</summary>
    public static Normalization UnitInterval { get; } = new([0f], [1f]);

    /// <summary>Pixels map to [−1, 1] (mean 0.5, std 0.5): <c>Normalize(0.5, 0.5)</c>, as the L2 Init code does for MNIST.</summary>
    public static Normalization Symmetric { get; } = new([0.5f], [0.5f]);

    /// <summary>CIFAR per-channel statistics used by the L2 Init code: mean (0.4914, 0.4822, 0.4465), std (0.247, 0.243, 0.261).</summary>
    public static Normalization Cifar { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.247f, 0.243f, 0.261f]);

    /// <summary>Normalises <paramref name="image"/> (C, H, W) in place.</summary>
    public void Apply(Span<float> image, ImageShape shape)
    {
        if ((Mean.Length != 1 && Mean.Length != shape.Channels) || Mean.Length != Std.Length)
            throw new ArgumentException($"Normalization has {Mean.Length} means and {Std.Length} stds; images have {shape.Channels} channels.", nameof(shape));
        int plane = shape.Plane;
        for (int c = 0; c < shape.Channels; c++)
        {
            float mean = Mean[Mean.Length == 1 ? 0 : c];
            float scale = 1f / Std[Std.Length == 1 ? 0 : c];
            var channel = image.Slice(c * plane, plane);
            // (x − mean)·scale in two correctly rounded steps, as the scalar loop it replaces.
            System.Numerics.Tensors.TensorPrimitives.Subtract(channel, mean, channel);
            System.Numerics.Tensors.TensorPrimitives.Multiply(channel, scale, channel);
        }
    }
}
