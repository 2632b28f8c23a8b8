using Lifelong.Catalog;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Multi-task learning: every step draws from the training sets of all the stream's tasks at once — a shared body
/// with a head per task (in task-incremental streams) trained jointly, the reference the continual methods are set beside.</summary>
/// <remarks>
/// Unlike <see cref="Joint"/> (tasks 0..t, the upper bound of a learner that keeps everything it has seen), multi-task
/// training sees the future tasks from the first step; the budget is the same (each task's steps), so after the last task
/// it has spent exactly what every continual method spent. Caruana 1997. It holds every task's data: meant for short streams.
/// </remarks>
[Method("baseline", "the multi-task reference (Caruana 1997, Multitask Learning)")]
public sealed class MultiTask : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "multitask";

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override TaskData TrainingData(Learner learner, ContinualTask task) => TaskUnion.Of([.. learner.Scenario.Tasks()]);
}
