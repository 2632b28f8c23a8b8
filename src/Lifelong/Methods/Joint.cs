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
    public override TaskData TrainingData(Learner learner, ContinualTask task) =>
        TaskUnion.Of([.. Enumerable.Range(0, task.Id + 1).Select(j => j == task.Id ? task : learner.Scenario.GetTask(j))]);
}
