using Lifelong.Data;

namespace Lifelong.Scenarios;

/// <summary>One task of a continual-learning stream: its id, classes, train/test data and step budget.</summary>
/// <remarks>
/// Called <c>ContinualTask</c>, not <c>Task</c>, so that it never clashes with <see cref="System.Threading.Tasks.Task"/>
/// (imported everywhere by implicit usings). Train and test data are built on first access and then kept, so an evaluator
/// that only needs every task's test set never materialises their training sets.
/// </remarks>
public sealed class ContinualTask
{
    private readonly Lazy<Dataset> _train;
    private readonly Lazy<Dataset> _test;

    /// <summary>A task whose data is produced by <paramref name="train"/> and <paramref name="test"/> on first use.</summary>
    public ContinualTask(int id, string name, int[] classes, Func<Dataset> train, Func<Dataset> test, int steps, int batchSize, int? head = null)
    {
        (Id, Name, Classes, Steps, BatchSize, Head) = (id, name, classes, steps, batchSize, head);
        _train = new Lazy<Dataset>(train);
        _test = new Lazy<Dataset>(test);
    }

    /// <summary>Position in the stream, 0-based.</summary>
    public int Id { get; }

    /// <summary>A readable name ("permutation 3", "digits 4/5", "hard: 12 31 7 88 54").</summary>
    public string Name { get; }

    /// <summary>The source dataset's classes in this task; for remapped tasks, element k is the class now labelled k.</summary>
    public IReadOnlyList<int> Classes { get; }

    /// <summary>Training data, labels already in the scenario's output space.</summary>
    public Dataset Train => _train.Value;

    /// <summary>Test data, labels in the same space as <see cref="Train"/>.</summary>
    public Dataset Test => _test.Value;

    /// <summary>Optimizer steps to spend on this task (the paper's budget).</summary>
    public int Steps { get; }

    /// <summary>Minibatch size used with <see cref="Steps"/> in the paper.</summary>
    public int BatchSize { get; }

    /// <summary>The output head for this task when the task id is given at test (task-incremental); null for a single shared head.</summary>
    public int? Head { get; }

    /// <inheritdoc/>
    public override string ToString() => $"task {Id}: {Name}";
}
