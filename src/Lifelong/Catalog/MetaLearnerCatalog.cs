using Lifelong.Meta;

namespace Lifelong.Catalog;

/// <summary>One meta-learner of <c>lifelong meta few-shot --method NAME</c>.</summary>
/// <param name="Name">Its CLI name (<c>maml</c>, <c>meta-sgd</c>).</param>
/// <param name="Method">The learner <see cref="FewShotBenchmark"/> runs.</param>
/// <param name="Paper">The paper it follows.</param>
/// <param name="Options">The settings of <c>meta few-shot</c> it reads, with their defaults and valid ranges.</param>
public sealed record MetaLearnerEntry(string Name, FewShotMethod Method, string Paper, IReadOnlyList<OptionInfo> Options)
{
    /// <summary>What it does, from the doc comment of its <see cref="FewShotMethod"/> value.</summary>
    public string Summary => XmlDocs.Field(typeof(FewShotMethod), Method.ToString());
}

/// <summary>The meta-learners <c>lifelong meta few-shot</c> compares, each with the options of
/// <see cref="FewShotBenchmarkOptions"/> it actually reads (ProtoNets take no inner steps, Reptile has no outer Adam).</summary>
public static class MetaLearnerCatalog
{
    private static readonly string[] Shared = ["iterations", "hidden", "conv"];
    private static readonly string[] Inner = ["meta-batch", "inner-lr", "inner-steps", "test-inner-steps"];

    /// <summary>Every meta-learner, in the order of <see cref="FewShotMethod"/>.</summary>
    public static IReadOnlyList<MetaLearnerEntry> All { get; } =
    [
        Entry(FewShotMethod.Maml, "Finn, Abbeel & Levine 2017, Model-Agnostic Meta-Learning for Fast Adaptation of Deep Networks", [.. Inner, "outer-lr"]),
        Entry(FewShotMethod.Fomaml, "Finn, Abbeel & Levine 2017 (first-order approximation, section 5.2)", [.. Inner, "outer-lr"]),
        Entry(FewShotMethod.MetaSgd, "Li, Zhou, Chen & Li 2017, Meta-SGD: Learning to Learn Quickly for Few-Shot Learning", [.. Inner, "outer-lr"]),
        Entry(FewShotMethod.Anil, "Raghu, Raghu, Bengio & Vinyals 2020, Rapid Learning or Feature Reuse? (ANIL)", [.. Inner, "outer-lr"]),
        Entry(FewShotMethod.Reptile, "Nichol, Achiam & Schulman 2018, On First-Order Meta-Learning Algorithms", Inner),
        Entry(FewShotMethod.ProtoNet, "Snell, Swersky & Zemel 2017, Prototypical Networks for Few-shot Learning", ["outer-lr"]),
        Entry(FewShotMethod.Pretrain, "Chen et al. 2019, A Closer Look at Few-shot Classification (Baseline: pretrain, then fine-tune a new head)",
            ["meta-batch", "inner-lr", "test-inner-steps", "outer-lr"]),
    ];

    /// <summary>The meta-learner called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static MetaLearnerEntry? Find(string name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    private static MetaLearnerEntry Entry(FewShotMethod method, string paper, string[] reads)
    {
        // The CLI spells ConvFilters as --conv; every other key is the option's kebab name. Hidden's null default means the
        // benchmark's own widths, which are what a user gets.
        var options = OptionBinder.Describe(typeof(FewShotBenchmarkOptions))
            .Select(o => o.Name switch
            {
                "conv-filters" => o with { Name = "conv" },
                "hidden" => o with { Default = FewShotBenchmark.DefaultHidden },
                _ => o,
            })
            .Where(o => Shared.Contains(o.Name) || reads.Contains(o.Name))
            .ToList();
        return new MetaLearnerEntry(OptionBinder.Kebab(method.ToString()), method, paper, options);
    }
}
