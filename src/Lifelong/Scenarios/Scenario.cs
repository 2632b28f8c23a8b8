namespace Lifelong.Scenarios;

/// <summary>A seeded stream of <see cref="ContinualTask"/>s; tasks are built on demand, so long streams (500 permutations) cost no memory up front.</summary>
/// <remarks>
/// With the same data and seed, <see cref="GetTask"/> returns the same task every time, in any order of access: each
/// task draws its randomness from its own stream split from the seed.
/// </remarks>
public abstract class Scenario
{
    /// <summary>Sets the scenario's name and seed.</summary>
    protected Scenario(string name, ulong seed) => (Name, Seed) = (name, seed);

    /// <summary>The scenario's name, as on the command line (<c>permuted-mnist</c>).</summary>
    public string Name { get; }

    /// <summary>The seed every task's data, permutation and class choice derives from.</summary>
    public ulong Seed { get; }

    /// <summary>Number of tasks in the stream.</summary>
    public abstract int TaskCount { get; }

    /// <summary>Output units the model needs per head (10 for permuted MNIST, 2 for task-incremental split MNIST).</summary>
    public abstract int OutputCount { get; }

    /// <summary>Number of output heads: 1 for a shared head, the number of tasks for multi-head task-incremental learning.</summary>
    public virtual int HeadCount => 1;

    /// <summary>True when the task id is given at test time (multi-head).</summary>
    public bool TaskIdAtTest => HeadCount > 1;

    /// <summary>Task <paramref name="id"/> (0-based).</summary>
    public ContinualTask GetTask(int id)
    {
        if ((uint)id >= (uint)TaskCount) throw new ArgumentOutOfRangeException(nameof(id), id, $"{Name} has tasks 0..{TaskCount - 1}.");
        return CreateTask(id);
    }

    /// <summary>The tasks in order.</summary>
    public IEnumerable<ContinualTask> Tasks()
    {
        for (int id = 0; id < TaskCount; id++) yield return GetTask(id);
    }

    /// <summary>Builds task <paramref name="id"/>, which is known to be in range.</summary>
    protected abstract ContinualTask CreateTask(int id);

    /// <summary>0, 1, ..., <paramref name="count"/>−1.</summary>
    protected static int[] Range(int count)
    {
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = i;
        return values;
    }
}
