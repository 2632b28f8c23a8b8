using Lifelong.Data;
using Lifelong.Rl.Levels;
using Lifelong.Scenarios;

namespace Lifelong.Rl.Experiments;

/// <summary>The visits of a level schedule seen as the tasks of a stream, so that a <see cref="Training.Learner"/> and its
/// methods see level switches as task boundaries (<see cref="Training.ContinualMethod.OnTaskStart"/>: Shrink &amp; Perturb
/// once per task, Hare &amp; Tortoise's resets).</summary>
/// <remarks>Task i is visit i (<c>level 3</c>); an agent collects its own experience, so a task has no dataset, and reading
/// one is refused.</remarks>
public sealed class LevelScenario : Scenario
{
    private readonly LevelSchedule _schedule;
    private readonly int _outputs;
    private readonly int _iterationsPerVisit;

    /// <summary>The visits of <paramref name="schedule"/>, for a network with <paramref name="outputs"/> outputs.</summary>
    public LevelScenario(string environment, LevelSchedule schedule, int outputs, int iterationsPerVisit, ulong seed)
        : base(environment, seed) => (_schedule, _outputs, _iterationsPerVisit) = (schedule, outputs, iterationsPerVisit);

    /// <inheritdoc/>
    public override int TaskCount => _schedule.Order.Count;

    /// <inheritdoc/>
    public override int OutputCount => _outputs;

    /// <inheritdoc/>
    protected override ContinualTask CreateTask(int id)
    {
        string name = $"level {_schedule.Order[id]}";
        Dataset NoData() => throw new InvalidOperationException($"{name} of {Name} has no dataset: an agent collects its own experience. A method that reads a task's data (EWC's Fisher, replay, joint training) cannot run on an agent.");
        return new ContinualTask(id, name, [], NoData, NoData, _iterationsPerVisit, 1);
    }
}
