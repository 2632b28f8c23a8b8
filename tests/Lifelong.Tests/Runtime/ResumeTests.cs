using Lifelong.Methods;
using System.Text.Json.Nodes;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Runtime;

public class ResumeTests
{

    /// <summary>Throws after a given number of steps, as a crash would stop the run there.</summary>

    [Theory]
    [InlineData(0, 9)]   // task boundaries only; killed in the middle of task 1 (steps 7..12)
    [InlineData(4, 11)]  // also every 4 steps; killed one step before the task-1 mid checkpoint at step 12
    [InlineData(4, 13)]  // killed just after a mid-task checkpoint
    public void A_resumed_run_gives_the_same_result_and_metrics_as_an_uninterrupted_one(int checkpointEvery, long crashAfter)
    {
        var options = new TrainerOptions(LogEvery: 2, CheckpointEverySteps: checkpointEvery);
        using var whole = new TestData.TempFolder();
        var expected = new Trainer(Build(), TinyRuns.Evaluator(), options, new RunDirectory(whole.Path)).Run();

        using var broken = new TestData.TempFolder();
        var directory = new RunDirectory(broken.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), options, directory, new CrashAfter(crashAfter)).Run());
        Assert.False(File.Exists(directory.ResultFile));
        var resumed = new Trainer(Build(), TinyRuns.Evaluator(), options, directory).Resume();

        Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
        Assert.Equal(ResultNumbers.Of(RunResult.Load(Path.Combine(whole.Path, "result.json"))), ResultNumbers.Of(RunResult.Load(directory.ResultFile)));
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "metrics.jsonl")), File.ReadAllText(directory.MetricsFile));
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "accuracy_matrix.csv")), File.ReadAllText(Path.Combine(directory.Path, "accuracy_matrix.csv")));
    }

    [Fact]
    public void Resuming_without_a_checkpoint_says_there_is_nothing_to_resume()
    {
        using var folder = new TestData.TempFolder();
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(Build(), TinyRuns.Evaluator(), null, new RunDirectory(folder.Path)).Resume());
        Assert.Contains("nothing to resume", e.Message);
    }

    [Fact]
    public void A_checkpoint_from_other_methods_is_refused()
    {
        using var folder = new TestData.TempFolder();
        var directory = new RunDirectory(folder.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), null, directory, new CrashAfter(8)).Run());
        var other = TinyRuns.Learner(TinyRuns.Permuted(), [new Joint()]);
        var e = Assert.Throws<InvalidDataException>(() => new Trainer(other, TinyRuns.Evaluator(), null, directory).Resume());
        Assert.Contains("finetune", e.Message);
    }

    private static Training.Learner Build() => TinyRuns.Learner(TinyRuns.Permuted(tasks: 3, steps: 6), [new Finetune()]);
}
