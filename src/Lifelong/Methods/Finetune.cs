using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Fine-tuning: plain training on each task in turn, nothing added — the lower bound every method is compared with.</summary>
/// <remarks>Catastrophic forgetting (McCloskey &amp; Cohen 1989) and loss of plasticity (Dohare et al. 2024) show up here undisturbed.</remarks>
[Method("baseline", "the lower bound of every continual-learning paper")]
public sealed class Finetune : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "finetune";

    /// <inheritdoc/>
    public override string Name => MethodName;
}
