using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Scenarios;

/// <summary>Options of <see cref="RandomLabel"/>; defaults are L2 Init's Random Label MNIST (Kumar, Marklund, Van Roy 2023, Table 1).</summary>
/// <param name="Tasks">Number of label reassignments; 50.</param>
/// <param name="Images">Size of the one fixed image set; 1,200.</param>
/// <param name="FirstTaskTrueLabels">Task 0 keeps the true labels; false (the L2 Init code, which permutes the labels before task 0 as at every switch) permutes task 0 too.</param>
/// <param name="Steps">Steps per task; 30,000 = 400 epochs of 1,200 at batch 16.</param>
/// <param name="BatchSize">Batch size; 16.</param>
public sealed record RandomLabelOptions([Positive(Max = 10_000)] int Tasks = 50, [Positive] int Images = 1_200, bool FirstTaskTrueLabels = false, [Positive] int Steps = 30_000, [Positive(Max = 100_000)] int BatchSize = 16);

/// <summary>Random-label memorisation (L2 Init's Random Label MNIST/CIFAR): the same images in every task, labels permuted across them anew for every task.</summary>
/// <remarks>
/// Follows L2 Init's <c>environments/random_label_envs.py</c>: the first <see cref="RandomLabelOptions.Images"/> images of a
/// seed-shuffled training set are fixed; each task's labels, the first task's included, are the true labels permuted
/// across the images (<c>labels[shuffled_indices]</c>), so the label histogram is preserved while the assignment changes
/// (labels are not drawn i.i.d.). Each task draws its permutation independently from its own seeded stream; a
/// composition of uniform random permutations (the code's cumulative form) has the same distribution. The task is memorisation, so its test set is its
/// training set. Works on any dataset (Random Label CIFAR: pass CIFAR-10).
/// </remarks>
public sealed class RandomLabel : Scenario
{
    /// <summary>The scenario's command-line name (on MNIST).</summary>
    public const string ScenarioName = "random-label-mnist";

    private readonly Dataset _images;
    private readonly RandomLabelOptions _options;

    /// <summary>Random-label tasks over the training part of <paramref name="data"/>.</summary>
    public RandomLabel(TrainTestSplit data, ulong seed, RandomLabelOptions? options = null, string name = ScenarioName) : base(name, seed)
    {
        _options = options ?? new RandomLabelOptions();
        if (_options.Images > data.Train.Count)
            throw new ArgumentException($"{name}: asks for {_options.Images} images, the training set has {data.Train.Count}.", nameof(options));
        int[] chosen = new Rng(seed).Split("images").Permutation(data.Train.Count)[.._options.Images];
        _images = data.Train.Select(chosen, $"{name}/images");
    }

    /// <summary>The fixed images with their true labels.</summary>
    public Dataset Images => _images;

    /// <inheritdoc/>
    public override int TaskCount => _options.Tasks;

    /// <inheritdoc/>
    public override int OutputCount => _images.ClassCount;

    /// <summary>Task <paramref name="id"/>'s labels: element i labels image i.</summary>
    public int[] LabelsOf(int id)
    {
        var trueLabels = _images.Labels;
        if (id == 0 && _options.FirstTaskTrueLabels) return trueLabels.ToArray();
        int[] shuffled = new Rng(Seed).Split("task").Split(id).Permutation(trueLabels.Length);
        var labels = new int[trueLabels.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = trueLabels[shuffled[i]];
        return labels;
    }

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        var data = new Lazy<Dataset>(() => _images.WithLabels(LabelsOf(id), _images.ClassCount, $"{Name}/{id}"));
        string title = id == 0 && _options.FirstTaskTrueLabels ? "true labels" : $"label permutation {id}";
        return new ContinualTask(id, title, Range(_images.ClassCount), () => data.Value, () => data.Value, _options.Steps, _options.BatchSize);
    }
}
