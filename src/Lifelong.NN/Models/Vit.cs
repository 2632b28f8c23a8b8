using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A vision transformer, timm's <c>VisionTransformer</c>: patch tokens (+ class token) + position embedding → pre-norm blocks → LayerNorm → head on the class token.</summary>
/// <remarks>
/// Dosovitskiy et al. 2021. Parameter names follow timm exactly (<c>cls_token</c>, <c>pos_embed</c>, <c>patch_embed.proj.*</c>,
/// <c>blocks.N.{norm1, attn.qkv, attn.proj, norm2, mlp.fc1, mlp.fc2}.*</c>, <c>norm.*</c>, <c>head.*</c>), so timm state dicts
/// load by name. LayerNorm ε = 1e-6 as timm. Init as timm's default: every Linear weight ~ trunc_normal(std .02) with zero
/// bias, pos_embed ~ trunc_normal(std .02), the patch convolution keeps PyTorch's default. For cls_token we use
/// trunc_normal(std .02) as timm did before v0.9; current timm draws it from normal(std 1e-6).
/// </remarks>
public sealed class Vit : Module
{
    private readonly List<TransformerBlock> _blocks = [];

    /// <summary>The architecture.</summary>
    public VitOptions Options { get; }

    /// <summary>The learned class token, (1, 1, D); null without one.</summary>
    public Parameter? ClsToken { get; }

    /// <summary>The learned position embedding, (1, tokens, D).</summary>
    public Parameter PosEmbed { get; }

    /// <summary>Image to patch tokens.</summary>
    public PatchEmbed PatchEmbed { get; }

    /// <summary>The transformer blocks.</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    /// <summary>The final norm.</summary>
    public LayerNorm Norm { get; }

    /// <summary>The classifier, D → classes.</summary>
    public Linear Head { get; }

    /// <summary>A ViT with timm's init drawn from <paramref name="rng"/>.</summary>
    public Vit(VitOptions options, Rng rng)
    {
        Options = options;
        int dim = options.Dim;
        var patchEmbed = new PatchEmbed(options.ImageSize, options.PatchSize, options.InChannels, dim, rng.Split("patch_embed"));
        int tokens = patchEmbed.NumPatches + (options.ClassToken ? 1 : 0);

        // timm registers cls_token and pos_embed on the model itself, so they come first in named_parameters.
        if (options.ClassToken) ClsToken = AddParameter("cls_token", new Parameter(1, 1, dim));
        PosEmbed = AddParameter("pos_embed", new Parameter(1, tokens, dim));
        PatchEmbed = AddModule("patch_embed", patchEmbed);
        var blocks = AddModule("blocks", new Sequential());
        for (int i = 0; i < options.Depth; i++)
        {
            var block = new TransformerBlock(dim, options.Heads, rng.Split($"blocks.{i}"), options.MlpRatio, layerNormEps: 1e-6f);
            blocks.Append(block);
            _blocks.Add(block);
        }
        Norm = AddModule("norm", new LayerNorm(dim, 1e-6f));
        Head = AddModule("head", new Linear(dim, options.Classes, rng.Split("head")));
        InitializeAsTimm(rng.Split("init"));
    }

    /// <param name="x">(N, C, H, W)</param> <returns>(N, classes)</returns>
    public override Tensor Forward(Tensor x) => Head.Forward(ForwardPreLogits(x));

    /// <summary>The normalized token sequence after the last block, as timm's <c>forward_features</c>.</summary>
    /// <param name="x">(N, C, H, W)</param> <returns>(N, tokens, D), the class token first when there is one</returns>
    public Tensor ForwardFeatures(Tensor x)
    {
        var tokens = PatchEmbed.Forward(x);
        if (ClsToken is not null)
        {
            var cls = Resolve(ClsToken).Expand(tokens.Shape[0], 1, Options.Dim);
            tokens = TensorMath.Concat([cls, tokens], 1);
        }
        tokens = tokens + Resolve(PosEmbed);
        foreach (var block in _blocks) tokens = block.Forward(tokens);
        return Norm.Forward(tokens);
    }

    /// <summary>The features the head classifies (for prototype classifiers and probes): the class token, or the mean token without one.</summary>
    /// <param name="x">(N, C, H, W)</param> <returns>(N, D)</returns>
    public Tensor ForwardPreLogits(Tensor x)
    {
        var tokens = ForwardFeatures(x);
        return ClsToken is not null ? tokens.Select(1, 0) : tokens.Mean(1);
    }

    private void InitializeAsTimm(Rng rng)
    {
        Init.TruncatedNormal(PosEmbed, rng.Split("pos_embed"), std: 0.02f);
        if (ClsToken is not null) Init.TruncatedNormal(ClsToken, rng.Split("cls_token"), std: 0.02f);
        foreach (var (name, module) in NamedModules())
        {
            if (module is not Linear linear) continue;
            Init.TruncatedNormal(linear.Weight, rng.Split(name), std: 0.02f);
            if (linear.Bias is not null) Init.Zeros(linear.Bias);
        }
    }
}
