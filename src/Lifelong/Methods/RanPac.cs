using Lifelong.Catalog;
using Lifelong.Pretrained;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="RanPac"/>.</summary>
/// <param name="Projection">M, the width of the random ReLU features; 0 uses the backbone features as they are. The paper
/// uses 10,000 on ViT-B features (D = 768); 1,000 keeps a similar ratio on the 100-wide features of our small models and the
/// (M × M) solves affordable on a CPU.</param>
public sealed record RanPacOptions([NonNegative] int Projection = 1000)
{
    /// <summary>M ≥ 0.</summary>
    public int Projection { get; } = Projection >= 0 ? Projection : throw new ArgumentOutOfRangeException(nameof(Projection), Projection, "projection must be ≥ 0.");
}

/// <summary>RanPAC: a fixed random ReLU projection of the frozen pretrained backbone's features, then a ridge-regression
/// classifier on Gram statistics accumulated over all tasks.</summary>
/// <remarks>
/// McDonnell, Gong, Parvaneh, Abbasnejad &amp; van den Hengel 2023 (NeurIPS, arXiv 2307.02251); the head is
/// <see cref="RanPacHead"/> (λ chosen per task on a held-out 20 %). The paper's first phase — adapting the backbone with a
/// parameter-efficient method (adapter, SSF, VPT) on the first task — is not reproduced: the backbone stays as loaded.
/// </remarks>
[Method("pretrained", "McDonnell et al. 2023, RanPAC: Random Projections and Pre-trained Models for Continual Learning, NeurIPS, arXiv 2307.02251")]
public sealed class RanPac(RanPacOptions options) : FrozenBackboneMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "ranpac";

    /// <summary>RanPAC with the default options.</summary>
    public RanPac() : this(new RanPacOptions()) { }

    /// <summary>The options in force.</summary>
    public RanPacOptions Options { get; } = options;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    protected override ClassHead CreateHead(Learner learner) =>
        new RanPacHead(learner.Model.Heads * learner.Model.Classes, Options.Projection, learner.Rng.Split($"{Name}/projection"));
}
