using System.Text.Json.Nodes;
using Lifelong.Methods;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.ForgettingMethods;

public class MethodSmokeAndResumeTests
{
    public static TheoryData<string> Names => ["ewc", "ewc-combined", "ewc-online", "replay", "replay-balanced", "der", "derpp", "agem", "si", "mas", "lwf", "gdumb"];

    private static ContinualMethod Create(string name) => name switch
    {
        "ewc" => new Ewc(new EwcOptions(Samples: 30)),
        "ewc-combined" => new Ewc(new EwcOptions(Fisher: FisherLabels.Sample, Samples: 30, Penalty: EwcPenalty.Combined)),
        "ewc-online" => new OnlineEwc(new OnlineEwcOptions(Gamma: 0.9f, Samples: 30, Normalize: true)),
        "replay" => new Replay(new ReplayOptions(Size: 20)),
        "replay-balanced" => new Replay(new ReplayOptions(Size: 20, Buffer: BufferPolicy.ClassBalanced)),
        "der" => new Der(new DerOptions(Size: 20)),
        "derpp" => new DerPlusPlus(new DerPlusPlusOptions(Size: 20)),
        "agem" => new Agem(new AgemOptions(MemoryPerTask: 10, ReferenceBatch: 8)),
        "si" => new Si(),
        "mas" => new Mas(new MasOptions(Samples: 30)),
        "lwf" => new Lwf(),
        "gdumb" => new GDumb(new GDumbOptions(Size: 30)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_method_trains_two_tiny_tasks_in_both_single_and_multi_head_streams(string name)
    {
        foreach (Scenario scenario in new Scenario[] { TinyRuns.Permuted(tasks: 2, steps: 5), TinyRuns.TaskIncremental(steps: 5) })
        {
            var result = new Trainer(TinyRuns.Learner(scenario, [Create(name)]), TinyRuns.Evaluator()).Run();
            Assert.All(result.AccuracyMatrix[^1], a => Assert.InRange(a!.Value, 0, 1));
            Assert.False(double.IsNaN(result.Summary.Acc));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void An_interrupted_and_resumed_run_equals_an_uninterrupted_one(string name)
    {
        // Three tasks of 6 steps, checkpoints every 4 steps; killed at step 15, in task 2 after its mid-task checkpoint,
        // so the resume restores state from both a task end (Fisher, anchors, teacher) and mid-task (buffers, SI's path).
        foreach (bool multiHead in new[] { false, true })
        {
            Learner Build() => TinyRuns.Learner(multiHead ? TinyRuns.TaskIncremental(steps: 6) : TinyRuns.Permuted(tasks: 3, steps: 6), [Create(name)]);
            var options = new TrainerOptions(LogEvery: 2, CheckpointEverySteps: 4);
            using var whole = new TestData.TempFolder();
            var expected = new Trainer(Build(), TinyRuns.Evaluator(), options, new RunDirectory(whole.Path)).Run();

            using var broken = new TestData.TempFolder();
            var directory = new RunDirectory(broken.Path);
            Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), options, directory, new CrashAfter(15)).Run());
            var resumed = new Trainer(Build(), TinyRuns.Evaluator(), options, directory).Resume();

            Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
            Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "metrics.jsonl")), File.ReadAllText(directory.MetricsFile));
        }
    }
}
