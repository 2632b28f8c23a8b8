using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The convolutional network of MAML and Prototypical Networks: four blocks of [3×3 convolution with F filters,
/// BatchNorm, ReLU, 2×2 max-pooling], then a linear head (<c>head</c>) on the flattened features.</summary>
/// <remarks>Finn et al. 2017 (§5.2) and Snell et al. 2017 use F = 64 on Omniglot and miniImageNet. The batch norms are
/// transductive by default (batch statistics always, as MAML's code): every support or query set is normalized by its own
/// statistics. A 28×28 input leaves 1×1×F features after four poolings (28 → 14 → 7 → 3 → 1).</remarks>
public sealed class FewShotConvNet : Module
{
    private readonly Sequential _blocks;

    /// <summary>The network for <paramref name="inChannels"/>×<paramref name="imageSize"/>² images and <paramref name="outputs"/> outputs.</summary>
    public FewShotConvNet(int inChannels, int imageSize, int outputs, Rng rng, int filters = 64, bool transductiveBatchNorm = true)
    {
        _blocks = AddModule("blocks", new Sequential());
        int channels = inChannels, size = imageSize;
        for (int b = 0; b < 4; b++)
        {
            _blocks.Append(new Conv2d(channels, filters, 3, rng.Split($"conv{b}"), padding: 1));
            _blocks.Append(new BatchNorm2d(filters, trackRunningStats: !transductiveBatchNorm));
            _blocks.Append(new ReLU());
            _blocks.Append(new MaxPool2d(2));
            (channels, size) = (filters, size / 2);
        }
        if (size < 1) throw new ArgumentException($"FewShotConvNet: {imageSize}×{imageSize} images are too small for four 2×2 poolings.", nameof(imageSize));
        FeatureSize = filters * size * size;
        Head = AddModule("head", new Linear(FeatureSize, outputs, rng.Split("head")));
    }

    /// <summary>Width of the flattened features the head reads.</summary>
    public int FeatureSize { get; }

    /// <summary>The linear head.</summary>
    public Linear Head { get; }

    /// <param name="x">(N, C, H, W)</param> <returns>(N, outputs)</returns>
    public override Tensor Forward(Tensor x) => Head.Forward(_blocks.Forward(x).Flatten(1));
}
