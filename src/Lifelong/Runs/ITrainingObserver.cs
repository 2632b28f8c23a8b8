using Lifelong.Scenarios;

namespace Lifelong.Runs;

/// <summary>Follows a run as it goes (the command line's progress bars); every member may do nothing.</summary>
public interface ITrainingObserver
{
    /// <summary>Before the first step of <paramref name="task"/> (also when a run resumes inside it).</summary>
    void OnTaskStart(ContinualTask task, int taskCount, int stepsDone);

    /// <summary>After each step, with the step's total loss and the incoming batch's pre-update accuracy.</summary>
    void OnStep(ContinualTask task, int step, double loss, double onlineAccuracy);

    /// <summary>After the task's evaluation.</summary>
    void OnTaskEnd(ContinualTask task, IReadOnlyList<double?> row, double onlineAccuracy);
}
