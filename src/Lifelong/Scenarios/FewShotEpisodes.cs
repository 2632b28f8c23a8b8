using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="FewShotEpisodes"/>; defaults are the 5-way 1-shot setting of MAML and Prototypical Networks.</summary>
/// <param name="Ways">Classes per episode, N; 5.</param>
/// <param name="Shots">Support images per class, K; 1.</param>
/// <param name="Queries">Query images per class, Q; 15 (MAML's and ProtoNets' miniImageNet).</param>
/// <param name="MetaTrainClasses">Size of the meta-train class pool; null takes half the classes (rounded up), the rest form the meta-test pool.</param>
/// <param name="Episodes">Meta-training episodes in the stream; 60,000 (MAML's training iterations).</param>
/// <param name="TestEpisodes">Meta-test episodes; 600 (MAML's evaluation, ProtoNets' miniImageNet).</param>
/// <param name="InnerSteps">Adaptation steps on the support set; 1 (MAML, Omniglot 5-way).</param>
public sealed record FewShotOptions(
    [Between(2, 1000)] int Ways = 5, [Positive(Max = 10_000)] int Shots = 1, [Positive(Max = 10_000)] int Queries = 15, [Positive] int? MetaTrainClasses = null, [Positive] int Episodes = 60_000, [Positive(Max = 1_000_000)] int TestEpisodes = 600, [NonNegative] int InnerSteps = 1);

/// <summary>N-way K-shot episodes for meta-learning (MAML, Reptile, ProtoNets) from disjoint meta-train and meta-test class pools.</summary>
/// <remarks>
/// The classes are split once, by the seed, into a meta-train and a meta-test pool. An episode picks N classes of one pool
/// and, per class, K support and Q query images (distinct), with labels remapped to 0..N−1 in the order the classes were
/// picked (<see cref="ContinualTask.Classes"/>[k] is relabelled k). As a task: Train = support (N·K), Test = query (N·Q),
/// Steps = inner steps, BatchSize = N·K. Images come from the dataset's training part for both pools; the pools share no
/// class, so no meta-test class is seen during meta-training. <see cref="Scenario.GetTask"/> gives meta-train episodes;
/// <see cref="MetaTestEpisode"/> meta-test ones.
/// </remarks>
public sealed class FewShotEpisodes : Scenario
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "few-shot";

    private readonly Dataset _images;
    private readonly FewShotOptions _options;
    private readonly int[][] _membersOf;

    /// <summary>Episodes over the training part of <paramref name="data"/>.</summary>
    public FewShotEpisodes(TrainTestSplit data, ulong seed, FewShotOptions? options = null) : base(ScenarioName, seed)
    {
        _images = data.Train;
        _options = options ?? new FewShotOptions();
        int trainClasses = _options.MetaTrainClasses ?? (data.ClassCount + 1) / 2;
        int[] order = new Rng(seed).Split("pools").Permutation(data.ClassCount);
        MetaTrainPool = order[..trainClasses];
        MetaTestPool = order[trainClasses..];
        if (MetaTrainPool.Count < _options.Ways || MetaTestPool.Count < _options.Ways)
            throw new ArgumentException($"{ScenarioName}: {_options.Ways}-way episodes need {_options.Ways} classes in each pool; the pools have {MetaTrainPool.Count} and {MetaTestPool.Count} of {data.ClassCount} classes.", nameof(options));
        _membersOf = [.. Enumerable.Range(0, data.ClassCount).Select(c => _images.IndicesOf([c]))];
        int perClass = _options.Shots + _options.Queries;
        foreach (int c in order)
            if (_membersOf[c].Length < perClass)
                throw new ArgumentException($"{ScenarioName}: class {c} has {_membersOf[c].Length} images; {_options.Shots} shots + {_options.Queries} queries need {perClass}.", nameof(options));
    }

    /// <summary>Classes meta-training episodes draw from.</summary>
    public IReadOnlyList<int> MetaTrainPool { get; }

    /// <summary>Classes meta-test episodes draw from; disjoint from <see cref="MetaTrainPool"/>.</summary>
    public IReadOnlyList<int> MetaTestPool { get; }

    /// <inheritdoc/>
    public override int TaskCount => _options.Episodes;

    /// <summary>Number of meta-test episodes.</summary>
    public int MetaTestEpisodeCount => _options.TestEpisodes;

    /// <inheritdoc/>
    public override int OutputCount => _options.Ways;

    /// <summary>Meta-test episode <paramref name="id"/>, drawn from <see cref="MetaTestPool"/>.</summary>
    public ContinualTask MetaTestEpisode(int id)
    {
        if ((uint)id >= (uint)_options.TestEpisodes) throw new ArgumentOutOfRangeException(nameof(id), id, $"{Name} has meta-test episodes 0..{_options.TestEpisodes - 1}.");
        return Episode(id, MetaTestPool, "meta-test");
    }

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id) => Episode(id, MetaTrainPool, "meta-train");

    private ContinualTask Episode(int id, IReadOnlyList<int> pool, string kind)
    {
        var rng = new Rng(Seed).Split(kind).Split(id);
        int[] picked = rng.Permutation(pool.Count)[.._options.Ways];
        int[] classes = [.. picked.Select(p => pool[p])];
        var support = new List<int>();
        var query = new List<int>();
        foreach (int c in classes)
        {
            int[] members = _membersOf[c];
            int[] chosen = rng.Permutation(members.Length);
            for (int i = 0; i < _options.Shots; i++) support.Add(members[chosen[i]]);
            for (int i = _options.Shots; i < _options.Shots + _options.Queries; i++) query.Add(members[chosen[i]]);
        }
        var labelOf = new Dictionary<int, int>();
        for (int k = 0; k < classes.Length; k++) labelOf[classes[k]] = k;
        Dataset Build(List<int> indices, string part)
        {
            var selected = _images.Select(indices.ToArray(), $"{Name}/{kind}/{id}/{part}");
            var labels = new int[selected.Count];
            for (int i = 0; i < labels.Length; i++) labels[i] = labelOf[selected.Labels[i]];
            return selected.WithLabels(labels, _options.Ways);
        }
        return new ContinualTask(id, $"{kind} episode {id}: classes {string.Join(' ', classes)}", classes,
            () => Build(support, "support"), () => Build(query, "query"), _options.InnerSteps, _options.Ways * _options.Shots);
    }
}
