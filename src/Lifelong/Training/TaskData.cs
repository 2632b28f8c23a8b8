namespace Lifelong.Training;

/// <summary>Training data for a task with the head each sample belongs to (several tasks' data mixed, for joint training).</summary>
/// <param name="Data">The samples.</param>
/// <param name="Heads">(Data.Count) the output head of each sample.</param>
public sealed record TaskData(Dataset Data, int[] Heads)
{
    /// <summary>Every sample on one head.</summary>
    public static TaskData OnHead(Dataset data, int head) => new(data, Enumerable.Repeat(head, data.Count).ToArray());
}
