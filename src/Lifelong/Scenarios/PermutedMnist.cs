using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="PermutedMnist"/>; defaults are the L2 Init paper's (Kumar, Marklund, Van Roy 2023, Table 1).</summary>
/// <param name="Tasks">Number of permutations; 500 in L2 Init (EWC/DEN use 10, GEM 20).</param>
/// <param name="TrainPerTask">Training images per task, a random subset re-drawn for every task; 10,000 in L2 Init (GEM: 1,000).</param>
/// <param name="TestSize">Test images, one seed-dependent subset of the test set shared by all tasks; 1,000 in L2 Init.</param>
/// <param name="PermuteFirstTask">Permute task 0 too; false in L2 Init, whose task 0 sees the original pixels.</param>
/// <param name="Steps">Steps per task; 625 = one epoch of 10,000 at batch 16.</param>
/// <param name="BatchSize">Batch size; 16 in L2 Init.</param>
/// <param name="HeadPerTask">A 10-way output head per task, chosen by the task id at test (task-incremental, as DEN's official
/// code runs permuted MNIST); false: one shared head (domain-incremental, L2 Init, EWC).</param>
public sealed record PermutedMnistOptions(
    [Positive(Max = 10_000)] int Tasks = 500, [Positive] int TrainPerTask = 10_000, [Positive] int TestSize = 1_000, bool PermuteFirstTask = false, [Positive] int Steps = 625, [Positive(Max = 100_000)] int BatchSize = 16,
    bool HeadPerTask = false);

/// <summary>Permuted MNIST: every task applies its own fixed random permutation to the 784 pixels.</summary>
/// <remarks>
/// Follows L2 Init's <c>environments/permuted_mnist.py</c>: task 0 is unpermuted (unless <see cref="PermutedMnistOptions.PermuteFirstTask"/>),
/// each later task draws a fresh permutation and a fresh training subset; the test subset is drawn once. Labels are the
/// digits, one shared 10-way head (or one per task, <see cref="PermutedMnistOptions.HeadPerTask"/>). Works on any image dataset (e.g. permuted Fashion-MNIST).
/// </remarks>
public sealed class PermutedMnist : Scenario
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "permuted-mnist";

    private readonly TrainTestSplit _data;
    private readonly PermutedMnistOptions _options;
    private readonly int[] _testIndices;

    /// <summary>Permuted tasks over <paramref name="data"/> (MNIST, or any image dataset).</summary>
    public PermutedMnist(TrainTestSplit data, ulong seed, PermutedMnistOptions? options = null) : base(ScenarioName, seed)
    {
        _data = data;
        _options = options ?? new PermutedMnistOptions();
        if (_options.TrainPerTask > data.Train.Count || _options.TestSize > data.Test.Count)
            throw new ArgumentException($"{ScenarioName}: asks for {_options.TrainPerTask} train / {_options.TestSize} test images, the data has {data.Train.Count} / {data.Test.Count}.", nameof(options));
        _testIndices = new Rng(seed).Split("test").Permutation(data.Test.Count)[.._options.TestSize];
    }

    /// <inheritdoc/>
    public override int TaskCount => _options.Tasks;

    /// <inheritdoc/>
    public override int OutputCount => _data.ClassCount;

    /// <inheritdoc/>
    public override int HeadCount => _options.HeadPerTask ? _options.Tasks : 1;

    /// <summary>The pixel permutation of task <paramref name="id"/>: output pixel j is input pixel p[j]; the identity for an unpermuted task 0.</summary>
    public int[] PermutationOf(int id) =>
        id == 0 && !_options.PermuteFirstTask ? Range(_data.Shape.Size) : TaskRng(id).Split("pixels").Permutation(_data.Shape.Size);

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        var permutation = PermutationOf(id);
        return new ContinualTask(id, id == 0 && !_options.PermuteFirstTask ? "original pixels" : $"permutation {id}", Range(_data.ClassCount),
            () => _data.Train.Select(TaskRng(id).Split("subset").Permutation(_data.Train.Count).AsSpan(0, _options.TrainPerTask), $"{Name}/{id}/train").PermutePixels(permutation),
            () => _data.Test.Select(_testIndices, $"{Name}/{id}/test").PermutePixels(permutation),
            _options.Steps, _options.BatchSize, _options.HeadPerTask ? id : null);
    }

    private Rng TaskRng(int id) => new Rng(Seed).Split("task").Split(id);
}
