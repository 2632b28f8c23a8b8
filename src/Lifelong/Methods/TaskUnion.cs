using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>The training sets of several tasks as one, each sample on its own task's head (joint and multi-task training).</summary>
internal static class TaskUnion
{
    /// <summary>The union of the training sets of <paramref name="tasks"/>, with their heads.</summary>
    /// <remarks>Dataset.Concat shifts each part's labels past the previous parts' classes; the tasks share one label space
    /// (their labels are already 0..C−1 on their own head), so the labels are restored.</remarks>
    public static TaskData Of(IReadOnlyList<ContinualTask> tasks)
    {
        var parts = tasks.Select(t => t.Train).ToArray();
        int classes = parts.Max(p => p.ClassCount);
        int[] labels = [.. parts.SelectMany(p => p.Labels.ToArray())];
        int[] heads = [.. tasks.SelectMany(t => Enumerable.Repeat(t.Head ?? 0, t.Train.Count))];
        var data = Dataset.Concat($"union/{tasks[0].Id}..{tasks[^1].Id}", parts).WithLabels(labels, classes);
        return new TaskData(data, heads);
    }
}
