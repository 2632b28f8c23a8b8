using Lifelong.Catalog;
using Lifelong.Pretrained;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>SimpleCIL: classify by the nearest class mean (cosine) of the frozen pretrained backbone's features.</summary>
/// <remarks>
/// Zhou, Ye, Zhan &amp; Liu 2023 (arXiv 2303.07338): the prototype of each class is the mean feature of its training
/// samples; the backbone is never trained, so nothing is forgotten and old prototypes stay valid. Each task's prototypes
/// are accumulated from the task's step budget of batches (set the steps to one epoch to use every sample once).
/// </remarks>
[Method("pretrained", "Zhou, Ye, Zhan & Liu 2023, Revisiting Class-Incremental Learning with Pre-Trained Models: Generalizability and Adaptivity are All You Need, arXiv 2303.07338")]
public sealed class SimpleCil : FrozenBackboneMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "simplecil";

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    protected override ClassHead CreateHead(Learner learner) => new PrototypeHead(learner.Model.Heads * learner.Model.Classes);
}
