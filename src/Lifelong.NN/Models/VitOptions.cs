namespace Lifelong.NN;

/// <summary>Architecture of a <see cref="Vit"/>; the defaults are a ViT-Tiny-like network for 32×32 images.</summary>
/// <param name="ImageSize">Side of the square input.</param>
/// <param name="PatchSize">Side of each patch; divides <paramref name="ImageSize"/>.</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="Dim">Token width D.</param>
/// <param name="Depth">Number of transformer blocks.</param>
/// <param name="Heads">Attention heads per block.</param>
/// <param name="MlpRatio">MLP hidden width as a multiple of D.</param>
/// <param name="ClassToken">Prepend a learned class token and classify from it; otherwise classify from the mean token.</param>
/// <param name="Classes">Outputs of the head.</param>
public sealed record VitOptions(
    int ImageSize = 32,
    int PatchSize = 4,
    int InChannels = 3,
    int Dim = 192,
    int Depth = 12,
    int Heads = 3,
    float MlpRatio = 4f,
    bool ClassToken = true,
    int Classes = 10);
