using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>A method that never changes the backbone and classifies with a <see cref="ClassHead"/> fitted on its features as the stream goes by.</summary>
/// <remarks>
/// Each task is consumed as its <see cref="ContinualTask.Steps"/> batches: for each batch the head predicts first (the
/// online accuracy), then learns from it, and the learner counts the step (<see cref="Learner.Observe"/>), so logs,
/// online accuracy and mid-task checkpoints work as for a trained method. The model itself (its <c>head</c> included)
/// is never updated; evaluation uses the method's head.
/// </remarks>
public abstract class FrozenBackboneMethod : ContinualMethod
{
    private ClassHead? _head;

    /// <summary>The head (null before the run starts).</summary>
    public ClassHead? Head => _head;

    /// <inheritdoc/>
    public override bool OwnsLoop => true;

    /// <summary>A new, empty head for <paramref name="learner"/>'s classes.</summary>
    protected abstract ClassHead CreateHead(Learner learner);

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _head = CreateHead(learner);

    /// <inheritdoc/>
    public override void TrainTask(Learner learner, ContinualTask task)
    {
        var head = _head ?? throw new InvalidOperationException($"{Name}: OnRunStart was not called.");
        if (learner.TaskStep == 0) head.BeginTask(task.Steps * task.BatchSize);
        while (learner.TaskStep < task.Steps)
        {
            var batch = learner.NextBatch();
            var features = Backbone.Features(learner.Network, batch);
            var logits = Backbone.Logits(learner.Model, head, features, batch);
            head.Observe(features, Backbone.Slots(learner.Model, batch));
            learner.Observe(batch, logits);
        }
        head.EndTask();
    }

    /// <inheritdoc/>
    public override Tensor? Predict(Learner learner, TrainingBatch batch) =>
        _head is null ? null : Backbone.Logits(learner.Model, _head, Backbone.Features(learner.Network, batch), batch);

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => _head?.Save(state, "head");

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _head = CreateHead(learner);
        _head.Load(state, "head");
    }
}
