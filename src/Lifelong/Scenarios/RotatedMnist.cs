using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="RotatedMnist"/>; defaults follow GEM's rotated MNIST (Lopez-Paz &amp; Ranzato 2017).</summary>
/// <param name="Tasks">Number of rotations; 20 in GEM.</param>
/// <param name="TrainPerTask">Training images per task, a random subset per task; 1,000 in GEM.</param>
/// <param name="TestSize">Test images, one subset shared by all tasks (each task rotates it by its angle).</param>
/// <param name="MinDegrees">Smallest angle.</param>
/// <param name="MaxDegrees">Largest angle (exclusive); GEM draws angles in [0°, 180°).</param>
/// <param name="RotateFirstTask">Rotate task 0 too; when false task 0 sees upright digits.</param>
/// <param name="Steps">Steps per task; 1,000 / 10 = one epoch at batch 10, GEM's single pass.</param>
/// <param name="BatchSize">Batch size; 10 in GEM.</param>
public sealed record RotatedMnistOptions(
    [Positive(Max = 10_000)] int Tasks = 20, [Positive] int TrainPerTask = 1_000, [Positive] int TestSize = 1_000, [Between(-360, 360)] double MinDegrees = 0, [Between(-360, 360)] double MaxDegrees = 180,
    bool RotateFirstTask = true, [Positive] int Steps = 100, [Positive(Max = 100_000)] int BatchSize = 10);

/// <summary>Rotated MNIST: every task rotates all images by its own fixed angle, drawn uniformly in [min, max).</summary>
/// <remarks>Images are rotated about their centre with bilinear interpolation (<see cref="ImageRotation"/>); labels are the digits, one shared head.</remarks>
public sealed class RotatedMnist : Scenario
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "rotated-mnist";

    private readonly TrainTestSplit _data;
    private readonly RotatedMnistOptions _options;
    private readonly int[] _testIndices;

    /// <summary>Rotated tasks over <paramref name="data"/>.</summary>
    public RotatedMnist(TrainTestSplit data, ulong seed, RotatedMnistOptions? options = null) : base(ScenarioName, seed)
    {
        _data = data;
        _options = options ?? new RotatedMnistOptions();
        if (_options.TrainPerTask > data.Train.Count || _options.TestSize > data.Test.Count)
            throw new ArgumentException($"{ScenarioName}: asks for {_options.TrainPerTask} train / {_options.TestSize} test images, the data has {data.Train.Count} / {data.Test.Count}.", nameof(options));
        _testIndices = new Rng(seed).Split("test").Permutation(data.Test.Count)[.._options.TestSize];
    }

    /// <inheritdoc/>
    public override int TaskCount => _options.Tasks;

    /// <inheritdoc/>
    public override int OutputCount => _data.ClassCount;

    /// <summary>The rotation of task <paramref name="id"/> in degrees.</summary>
    public double AngleOf(int id) => id == 0 && !_options.RotateFirstTask ? 0
        : _options.MinDegrees + (_options.MaxDegrees - _options.MinDegrees) * TaskRng(id).Split("angle").NextDouble();

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        double angle = AngleOf(id);
        ImageMap rotate = (_, source, destination) => ImageRotation.Rotate(source, destination, _data.Shape, angle);
        return new ContinualTask(id, $"rotation {angle:0.#}°", Range(_data.ClassCount),
            () => _data.Train.Select(TaskRng(id).Split("subset").Permutation(_data.Train.Count).AsSpan(0, _options.TrainPerTask)).MapImages(rotate, $"{Name}/{id}/train"),
            () => _data.Test.Select(_testIndices).MapImages(rotate, $"{Name}/{id}/test"),
            _options.Steps, _options.BatchSize);
    }

    private Rng TaskRng(int id) => new Rng(Seed).Split("task").Split(id);
}
