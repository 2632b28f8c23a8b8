using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = (x − E[x]) / √(Var[x] + ε) · γ + β over the trailing normalized dims (biased variance, as PyTorch).</summary>
/// <remarks>γ (weight) starts at ones and β (bias) at zeros, as PyTorch.</remarks>
public sealed class LayerNorm : Module
{
    private readonly int _normalizedDims;

    /// <summary>γ, the normalized shape; null without elementwise affine.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, the normalized shape; null without elementwise affine.</summary>
    public Parameter? Bias { get; }

    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }

    /// <summary>Normalizes over the trailing dims <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The trailing dims normalized together, e.g. [D] for tokens of width D.</param>
    /// <param name="eps">ε; PyTorch's default 1e-5, timm's ViT uses 1e-6.</param>
    /// <param name="elementwiseAffine">Learn γ and β.</param>
    public LayerNorm(int[] normalizedShape, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        if (normalizedShape.Length == 0) throw new ArgumentException("LayerNorm: the normalized shape must have at least one dim.", nameof(normalizedShape));
        _normalizedDims = normalizedShape.Length;
        Eps = eps;
        if (!elementwiseAffine) return;
        Weight = AddParameter("weight", new Parameter(Tensor.Ones(normalizedShape)));
        Bias = AddParameter("bias", new Parameter(normalizedShape));
    }

    /// <summary>Normalizes over the last dim, of size <paramref name="normalizedSize"/>.</summary>
    public LayerNorm(int normalizedSize, float eps = 1e-5f, bool elementwiseAffine = true)
        : this([normalizedSize], eps, elementwiseAffine) { }

    /// <param name="x">(*, normalized shape)</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => F.LayerNorm(x, Resolve(Weight), Resolve(Bias), Eps, _normalizedDims);
}
