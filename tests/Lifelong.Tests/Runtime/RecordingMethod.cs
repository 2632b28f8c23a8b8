using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.Runtime;

/// <summary>Writes every hook call into a shared log, and checks what each hook may rely on.</summary>
internal class RecordingMethod(string name, List<string> log) : ContinualMethod
{
    protected List<string> Log => log;

    public override string Name => name;

    public int ExtraCount { get; init; }

    public float PenaltyValue { get; init; }

    public override void OnRunStart(Learner learner) => log.Add($"{name}.run-start");

    public override TaskData? TrainingData(Learner learner, ContinualTask task)
    {
        log.Add($"{name}.data {task.Id}");
        return null;
    }

    public override void OnTaskStart(Learner learner, ContinualTask task) => log.Add($"{name}.task-start {task.Id}");

    public override TrainingBatch? ExtraSamples(Learner learner, TrainingBatch incoming)
    {
        log.Add($"{name}.extra");
        return ExtraCount == 0 ? null : incoming.Slice(0, ExtraCount);
    }

    public override Tensor? Loss(Learner learner, StepContext step)
    {
        log.Add($"{name}.loss rows={step.Batch.Count}");
        return PenaltyValue == 0 ? null : Tensor.Scalar(PenaltyValue);
    }

    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        log.Add($"{name}.distill");
        return null;
    }

    public override void BeforeStep(Learner learner, StepContext step)
    {
        bool gradients = learner.Network.Parameters().All(p => p.Grad is not null);
        log.Add($"{name}.before-step grads={gradients}");
    }

    public override void AfterStep(Learner learner, StepContext step) => log.Add($"{name}.after-step {step.TaskStep}");

    public override void OnTaskEnd(Learner learner, ContinualTask task) => log.Add($"{name}.task-end {task.Id}");
}

/// <summary>Owns the loop: trains each task with two steps of its own, through the learner's shared step.</summary>
internal sealed class LoopOwningMethod(List<string> log) : RecordingMethod("owner", log)
{
    public override bool OwnsLoop => true;

    public override void TrainTask(Learner learner, ContinualTask task)
    {
        Log.Add($"owner.train {task.Id}");
        for (int i = 0; i < 2; i++) learner.Step(learner.NextBatch());
    }
}
