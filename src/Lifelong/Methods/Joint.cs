using Lifelong.Catalog;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Joint training: task t trains on the union of the training sets of tasks 0..t — the upper bound of a stream.</summary>
/// <remarks>
/// Every batch is drawn uniformly from all data seen so far, for task t's step budget, continuing from the current
/// model (the "everything seen so far" upper bound of GEM and van de Ven et al.). Each sample keeps its task's head, so
/// joint training works for task-incremental streams too. It stores every task's data: meant for short streams.
/// </remarks>
[Method("baseline", "the multi-task upper bound (e.g. Lopez-Paz & Ranzato 2017, GEM)")]
public sealed class Joint : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "joint";

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override TaskData TrainingData(Learner learner, ContinualTask task)
    {
        var seen = Enumerable.Range(0, task.Id + 1).Select(j => j == task.Id ? task : learner.Scenario.GetTask(j)).ToList();
        var parts = seen.Select(t => t.Train).ToArray();
        int classes = parts.Max(p => p.ClassCount);
        // Concat shifts each part's labels past the previous parts' classes; the tasks share one label space, so restore them.
        int[] labels = [.. parts.SelectMany(p => p.Labels.ToArray())];
        int[] heads = [.. seen.SelectMany(t => Enumerable.Repeat(t.Head ?? 0, t.Train.Count))];
        var data = Dataset.Concat($"joint/0..{task.Id}", parts).WithLabels(labels, classes);
        return new TaskData(data, heads);
    }
}
