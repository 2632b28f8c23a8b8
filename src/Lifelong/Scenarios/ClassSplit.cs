using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="ClassSplit"/>; defaults are van de Ven et al.'s split MNIST settings (<c>param_values.py</c>).</summary>
/// <param name="Steps">Steps per task; 2,000 iterations per context in van de Ven et al.</param>
/// <param name="BatchSize">Batch size; 128.</param>
/// <param name="TrainPerClass">Training images per class, a seeded subset; null keeps them all.</param>
/// <param name="ShuffleClassOrder">Assign the groups' classes in a seeded random order instead of the given one.</param>
public sealed record ClassSplitOptions(int Steps = 2_000, int BatchSize = 128, int? TrainPerClass = null, bool ShuffleClassOrder = false);

/// <summary>The general builder: a task stream from any labelled dataset, one task per group of classes, in one of the three <see cref="SplitFlavour"/>s.</summary>
/// <remarks>
/// Labels in each flavour (group g holds classes c_0..c_{k−1}):
/// task-incremental, label of c_j = j and head g; domain-incremental, label j on one shared head of k units;
/// class-incremental, label = position of c_j in the concatenation of all groups (the identity for split MNIST's
/// default order 0..9), one head over all classes. <see cref="ContinualTask.Classes"/> lists c_0..c_{k−1}.
/// </remarks>
public sealed class ClassSplit : Scenario
{
    private readonly TrainTestSplit _data;
    private readonly int[][] _groups;
    private readonly ClassSplitOptions _options;

    /// <summary>Tasks over <paramref name="data"/>, task t holding the classes in <paramref name="groups"/>[t].</summary>
    /// <param name="data">Any labelled dataset.</param>
    /// <param name="groups">Disjoint groups of class ids; their union need not cover every class.</param>
    /// <param name="flavour">How labels, heads and test-time task ids work.</param>
    /// <param name="seed">Seeds the class order (when shuffled) and training subsets.</param>
    /// <param name="options">Budgets and subsets.</param>
    /// <param name="name">The scenario's name.</param>
    public ClassSplit(TrainTestSplit data, int[][] groups, SplitFlavour flavour, ulong seed, ClassSplitOptions? options = null, string name = "class-split")
        : base(name, seed)
    {
        _data = data;
        _options = options ?? new ClassSplitOptions();
        Flavour = flavour;
        var seen = new HashSet<int>();
        foreach (int c in groups.SelectMany(g => g))
        {
            if ((uint)c >= (uint)data.ClassCount) throw new ArgumentException($"{name}: class {c} is not in 0..{data.ClassCount - 1}.", nameof(groups));
            if (!seen.Add(c)) throw new ArgumentException($"{name}: class {c} appears in more than one group; groups must be disjoint.", nameof(groups));
        }
        if (groups.Length == 0 || groups.Any(g => g.Length == 0)) throw new ArgumentException($"{name}: needs at least one non-empty group.", nameof(groups));
        _groups = _options.ShuffleClassOrder ? Reorder(groups, new Rng(seed).Split("classes")) : [.. groups.Select(g => (int[])g.Clone())];
    }

    /// <summary>The flavour: task-, domain- or class-incremental.</summary>
    public SplitFlavour Flavour { get; }

    /// <summary>The class groups, one per task, after any seeded reordering.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Groups => _groups;

    /// <inheritdoc/>
    public override int TaskCount => _groups.Length;

    /// <inheritdoc/>
    public override int OutputCount => Flavour == SplitFlavour.ClassIncremental ? _groups.Sum(g => g.Length) : _groups.Max(g => g.Length);

    /// <inheritdoc/>
    public override int HeadCount => Flavour == SplitFlavour.TaskIncremental ? _groups.Length : 1;

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        var classes = _groups[id];
        int offset = _groups.Take(id).Sum(g => g.Length);
        var labelOf = new int[_data.ClassCount];
        for (int j = 0; j < classes.Length; j++) labelOf[classes[j]] = Flavour == SplitFlavour.ClassIncremental ? offset + j : j;
        Dataset Build(Dataset source, string part, int? perClass)
        {
            int[] indices = source.IndicesOf(classes);
            if (perClass is int limit) indices = SubsetPerClass(source, classes, limit, new Rng(Seed).Split("subset").Split(id));
            var selected = source.Select(indices, $"{Name}/{id}/{part}");
            var labels = new int[selected.Count];
            for (int i = 0; i < labels.Length; i++) labels[i] = labelOf[selected.Labels[i]];
            return selected.WithLabels(labels, OutputCount);
        }
        return new ContinualTask(id, $"classes {string.Join(' ', classes)}", classes,
            () => Build(_data.Train, "train", _options.TrainPerClass), () => Build(_data.Test, "test", null),
            _options.Steps, _options.BatchSize, Flavour == SplitFlavour.TaskIncremental ? id : null);
    }

    /// <summary>Up to <paramref name="perClass"/> seeded-random indices of each class in <paramref name="classes"/>, class by class.</summary>
    internal static int[] SubsetPerClass(Dataset source, IReadOnlyList<int> classes, int perClass, Rng rng)
    {
        var result = new List<int>();
        foreach (int c in classes)
        {
            int[] members = source.IndicesOf([c]);
            if (members.Length < perClass)
                throw new ArgumentException($"{source.Name}: class {c} has {members.Length} images, {perClass} are needed.", nameof(perClass));
            rng.Shuffle(members.AsSpan());
            result.AddRange(members.AsSpan(0, perClass));
        }
        return [.. result];
    }

    private static int[][] Reorder(int[][] groups, Rng rng)
    {
        int[] all = [.. groups.SelectMany(g => g)];
        rng.Shuffle(all.AsSpan());
        var result = new int[groups.Length][];
        int at = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            result[g] = all[at..(at + groups[g].Length)];
            at += groups[g].Length;
        }
        return result;
    }
}
