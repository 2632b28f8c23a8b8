using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Image to patch tokens, timm's <c>PatchEmbed</c>: a convolution <c>proj</c> with kernel = stride = patch size, flattened to (N, patches, D).</summary>
/// <remarks>Tokens are in row-major patch order (row of patches outer). The convolution keeps PyTorch's default init, as timm.</remarks>
public sealed class PatchEmbed : Module
{
    /// <summary>The patch projection, (D, C, p, p).</summary>
    public Conv2d Proj { get; }

    /// <summary>Input side length.</summary>
    public int ImageSize { get; }

    /// <summary>Patch side length.</summary>
    public int PatchSize { get; }

    /// <summary>(image size / patch size)², the number of tokens.</summary>
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Embeds square images of side <paramref name="imageSize"/> as patches of side <paramref name="patchSize"/> into width <paramref name="dim"/>.</summary>
    public PatchEmbed(int imageSize, int patchSize, int inChannels, int dim, Rng rng)
    {
        if (patchSize <= 0 || imageSize % patchSize != 0) throw new ArgumentException($"PatchEmbed: image size {imageSize} is not a multiple of patch size {patchSize}.");
        (ImageSize, PatchSize) = (imageSize, patchSize);
        Proj = AddModule("proj", new Conv2d(inChannels, dim, patchSize, rng.Split("proj"), stride: patchSize));
    }

    /// <param name="x">(N, C, H, W) with H = W = image size</param> <returns>(N, patches, D)</returns>
    public override Tensor Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Shape[2] != ImageSize || x.Shape[3] != ImageSize)
            throw new ArgumentException($"PatchEmbed: expected images (N, C, {ImageSize}, {ImageSize}), got shape {x.Shape}.");
        return Proj.Forward(x).Flatten(2).Transpose(1, 2);
    }
}
