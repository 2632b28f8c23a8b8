using Lifelong.Runs;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.Runtime;

public class LearnerHookTests
{
    [Fact]
    public void Every_hook_is_called_in_order_around_each_step_and_task()
    {
        var log = new List<string>();
        var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 2, steps: 2), [new RecordingMethod("a", log)]);
        new Trainer(learner, TinyRuns.Evaluator()).Run();

        string[] step(int s) => ["a.extra", "a.loss rows=8", "a.distill", "a.before-step grads=True", $"a.after-step {s}"];
        string[] task(int t) => [$"a.data {t}", $"a.task-start {t}", .. step(0), .. step(1), $"a.task-end {t}"];
        Assert.Equal(["a.run-start", .. task(0), .. task(1)], log);
    }

    [Fact]
    public void Two_composed_methods_see_each_hook_in_the_order_given()
    {
        var log = new List<string>();
        var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 1, steps: 1), [new RecordingMethod("a", log), new RecordingMethod("b", log) { ExtraCount = 3 }]);
        new Trainer(learner, TinyRuns.Evaluator()).Run();

        // b's extra samples are appended before any loss is computed, so both losses see 8 + 3 rows.
        Assert.Equal(
            ["a.run-start", "b.run-start", "a.data 0", "b.data 0", "a.task-start 0", "b.task-start 0", "a.extra", "b.extra",
             "a.loss rows=11", "a.distill", "b.loss rows=11", "b.distill", "a.before-step grads=True", "b.before-step grads=True",
             "a.after-step 0", "b.after-step 0", "a.task-end 0", "b.task-end 0"],
            log);
    }

    [Fact]
    public void A_loss_term_is_added_to_the_step_loss()
    {
        var log = new List<string>();
        var plain = TinyRuns.Learner(TinyRuns.Permuted(tasks: 1), [new RecordingMethod("a", log)]);
        var penalised = TinyRuns.Learner(TinyRuns.Permuted(tasks: 1), [new RecordingMethod("a", log) { PenaltyValue = 2.5f }]);
        var task = plain.Scenario.GetTask(0);
        plain.BeginTask(task);
        penalised.BeginTask(task);
        var a = plain.Step(plain.NextBatch());
        var b = penalised.Step(penalised.NextBatch());

        Assert.Equal(a.TaskLoss.Item(), b.TaskLoss.Item(), 6);
        Assert.Equal(a.TotalLoss!.Item() + 2.5f, b.TotalLoss!.Item(), 5);
    }

    [Fact]
    public void A_loop_owning_method_trains_through_the_shared_step_so_other_hooks_still_run()
    {
        var log = new List<string>();
        var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 1, steps: 50), [new LoopOwningMethod(log), new RecordingMethod("b", log)]);
        var result = new Trainer(learner, TinyRuns.Evaluator()).Run();

        Assert.Contains("owner.train 0", log);
        Assert.Equal(2, log.Count(l => l == "b.extra"));
        Assert.Equal(2, learner.TotalSteps);
        Assert.Single(result.OnlineAccuracy);
    }

    [Fact]
    public void Two_loop_owners_are_refused_by_name()
    {
        var log = new List<string>();
        var e = Assert.Throws<ArgumentException>(() => TinyRuns.Learner(TinyRuns.Permuted(), [new LoopOwningMethod(log), new LoopOwningMethod(log)]));
        Assert.Contains("owner", e.Message);
    }

    [Fact]
    public void Online_accuracy_is_the_pre_update_accuracy_on_the_incoming_rows_only()
    {
        var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 1), [new RecordingMethod("a", []) { ExtraCount = 4 }]);
        learner.BeginTask(learner.Scenario.GetTask(0));
        var batch = learner.NextBatch();
        var before = learner.Predict(batch).ArgMax(1);
        int correct = Enumerable.Range(0, batch.Count).Count(i => before[i] == batch.Labels[i]);

        var step = learner.Step(batch);

        Assert.Equal(8, step.IncomingCount);
        Assert.Equal((double)correct / batch.Count, step.OnlineAccuracy, 12);
    }
}
