using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="EasyHard"/>; defaults are L2 Init's 5+1 CIFAR (Kumar, Marklund, Van Roy 2023, Table 1).</summary>
/// <param name="Tasks">Number of tasks, alternating hard (even ids) and easy (odd ids); 30.</param>
/// <param name="HardClasses">Classes in a hard task; 5.</param>
/// <param name="EasyClasses">Classes in an easy task; 1.</param>
/// <param name="TrainPerClass">Training images per class; 500 (all of a CIFAR-100 class).</param>
/// <param name="Steps">Steps per task; 780 ≈ 10 epochs of a hard task (the paper, not its config's 625).</param>
/// <param name="BatchSize">Batch size; 32.</param>
public sealed record EasyHardOptions([Positive(Max = 10_000)] int Tasks = 30, [Positive] int HardClasses = 5, [Positive] int EasyClasses = 1, [Positive] int TrainPerClass = 500, [Positive] int Steps = 780, [Positive(Max = 100_000)] int BatchSize = 32);

/// <summary>The "N+1" easy/hard alternation of L2 Init's 5+1 CIFAR: hard tasks of N classes alternate with easy tasks of one class.</summary>
/// <remarks>
/// Classes are dealt from a seeded shuffle of all classes without repeats, as in the paper ("no class repeats across tasks");
/// with CIFAR-100 the default 30 tasks use 90 classes. When a stream needs more classes than the data has (the
/// MNIST + Fashion-MNIST fallback has 20), a fresh shuffle is dealt once all classes are used, so a class repeats only
/// after every class has appeared. Labels are the dataset's classes on one shared head (100 outputs on CIFAR-100); the
/// paper measures performance on the hard tasks. <see cref="FromStore"/> uses CIFAR-100 when present, else MNIST and
/// Fashion-MNIST side by side (classes 0–9 digits, 10–19 clothing).
/// </remarks>
public sealed class EasyHard : Scenario
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "easy-hard";

    private readonly TrainTestSplit _data;
    private readonly EasyHardOptions _options;
    private readonly int[][] _classes;

    /// <summary>Easy/hard tasks over <paramref name="data"/>.</summary>
    public EasyHard(TrainTestSplit data, ulong seed, EasyHardOptions? options = null) : base(ScenarioName, seed)
    {
        _data = data;
        _options = options ?? new EasyHardOptions();
        if (Math.Max(_options.HardClasses, _options.EasyClasses) > data.ClassCount)
            throw new ArgumentException($"{ScenarioName}: a task of {_options.HardClasses} classes needs at least that many classes; the data has {data.ClassCount}.", nameof(options));
        var dealer = new Rng(seed).Split("classes");
        var deck = new Queue<int>();
        _classes = new int[_options.Tasks][];
        for (int t = 0; t < _options.Tasks; t++)
        {
            int needed = IsHard(t) ? _options.HardClasses : _options.EasyClasses;
            if (deck.Count < needed)
                foreach (int c in dealer.Permutation(data.ClassCount)) if (!deck.Contains(c)) deck.Enqueue(c);
            _classes[t] = [.. Enumerable.Range(0, needed).Select(_ => deck.Dequeue())];
        }
    }

    /// <summary>CIFAR-100 from <paramref name="store"/> when it is there; otherwise MNIST and Fashion-MNIST as one 20-class dataset (fetched if needed).</summary>
    public static EasyHard FromStore(DatasetStore store, ulong seed, EasyHardOptions? options = null)
    {
        if (store.IsPresent("cifar100")) return new EasyHard(store.Load("cifar100"), seed, options);
        var mnist = store.Load("mnist");
        var fashion = store.Load("fashion-mnist");
        var combined = new TrainTestSplit(
            Dataset.Concat("mnist+fashion-mnist/train", mnist.Train, fashion.Train),
            Dataset.Concat("mnist+fashion-mnist/test", mnist.Test, fashion.Test));
        return new EasyHard(combined, seed, options);
    }

    /// <summary>True for hard tasks (even ids), false for easy ones.</summary>
    public static bool IsHard(int id) => id % 2 == 0;

    /// <inheritdoc/>
    public override int TaskCount => _options.Tasks;

    /// <inheritdoc/>
    public override int OutputCount => _data.ClassCount;

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        int[] classes = _classes[id];
        return new ContinualTask(id, $"{(IsHard(id) ? "hard" : "easy")}: classes {string.Join(' ', classes)}", classes,
            () => _data.Train.Select(ClassSplit.SubsetPerClass(_data.Train, classes, _options.TrainPerClass, new Rng(Seed).Split("task").Split(id)), $"{Name}/{id}/train"),
            () => _data.Test.Select(_data.Test.IndicesOf(classes), $"{Name}/{id}/test"),
            _options.Steps, _options.BatchSize);
    }
}
