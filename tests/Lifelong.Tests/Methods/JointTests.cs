using Lifelong.Methods;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tests.Data;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

public class JointTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    private ClassSplit ClassIncremental() =>
        new(data.Mnist, [[0, 1], [2, 3], [4, 5]], SplitFlavour.ClassIncremental, 5, new ClassSplitOptions(Steps: 60, BatchSize: 32, TrainPerClass: 300));

    [Fact]
    public void Joint_trains_each_task_on_every_task_seen_so_far_with_their_heads()
    {
        var scenario = TinyRuns.TaskIncremental();
        var learner = TinyRuns.Learner(scenario, [new Joint()]);
        var data2 = new Joint().TrainingData(learner, scenario.GetTask(2));

        Assert.Equal(scenario.GetTask(0).Train.Count * 3, data2.Data.Count);
        Assert.Equal([0, 1, 2], data2.Heads.Distinct().Order());
        Assert.Equal(scenario.GetTask(1).Train.Labels.ToArray(), data2.Data.Labels.Slice(scenario.GetTask(0).Train.Count, scenario.GetTask(1).Train.Count).ToArray());
    }

    [Fact]
    public void Joint_forgets_far_less_than_finetuning_on_class_incremental_split_mnist()
    {
        RunResult Run(ContinualMethod method) => new Trainer(TinyRuns.Learner(ClassIncremental(), [method], hidden: 64), TinyRuns.Evaluator()).Run();
        var finetune = Run(new Finetune());
        var joint = Run(new Joint());

        // Class-incremental fine-tuning ends up predicting only the last pair, so its final mean accuracy is near 1/3;
        // joint training keeps every pair.
        Assert.True(finetune.Summary.Acc < 0.5, $"finetune ACC {finetune.Summary.Acc}");
        Assert.True(joint.Summary.Acc > finetune.Summary.Acc + 0.3, $"joint ACC {joint.Summary.Acc} vs finetune {finetune.Summary.Acc}");
        Assert.True(joint.Summary.Bwt > finetune.Summary.Bwt + 0.3, $"joint BWT {joint.Summary.Bwt} vs finetune {finetune.Summary.Bwt}");
    }

    [Fact]
    public void Multitask_trains_from_the_first_step_on_every_task_of_the_stream()
    {
        var scenario = TinyRuns.TaskIncremental();
        var learner = TinyRuns.Learner(scenario, [new MultiTask()]);
        var first = new MultiTask().TrainingData(learner, scenario.GetTask(0));
        Assert.Equal(scenario.GetTask(0).Train.Count * 3, first.Data.Count);
        Assert.Equal([0, 1, 2], first.Heads.Distinct().Order());
    }

    [Fact]
    public void Multitask_knows_the_last_pair_after_the_first_task_where_joint_does_not()
    {
        RunResult Run(ContinualMethod method) => new Trainer(TinyRuns.Learner(ClassIncremental(), [method], hidden: 64), TinyRuns.Evaluator()).Run();
        var joint = Run(new Joint());
        var multitask = Run(new MultiTask());
        // R[0][2]: digits 4/5 after training task 0 — seen by multi-task training only.
        Assert.True(multitask.AccuracyMatrix[0][2] > 0.8, $"multitask R[0][2] = {multitask.AccuracyMatrix[0][2]}");
        Assert.True(joint.AccuracyMatrix[0][2] < 0.1, $"joint R[0][2] = {joint.AccuracyMatrix[0][2]}");
        Assert.True(multitask.Summary.Acc > 0.8, $"multitask ACC {multitask.Summary.Acc}");
    }
}
