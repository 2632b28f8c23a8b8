using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

/// <summary>Shared checks for methods: a smoke run on two tiny tasks, and interrupted + resumed == uninterrupted.</summary>
internal static class MethodRuns
{

    /// <summary>A learner on a tiny permuted stream with the methods of <paramref name="spec"/> (catalog syntax).</summary>
    public static Learner Learner(string spec, int tasks = 2, int steps = 6, int hidden = 16) =>
        TinyRuns.Learner(TinyRuns.Permuted(tasks, steps), MethodCatalog.Create([spec]), hidden: hidden);

    /// <summary>Runs two tiny tasks and checks the result is finite and the parameters too.</summary>
    public static RunResult Smoke(string spec)
    {
        var learner = Learner(spec);
        var result = new Trainer(learner, TinyRuns.Evaluator()).Run();
        Assert.Equal(2, result.OnlineAccuracy.Count);
        Assert.All(learner.Network.Parameters(), p => Assert.True(p.ToArray().All(float.IsFinite)));
        Assert.True(double.IsFinite(result.Summary.TotalOnlineAccuracy));
        return result;
    }

    /// <summary>Interrupts a run mid-task (with a mid-task checkpoint before it), resumes it, and compares with an uninterrupted run.</summary>
    public static void AssertResumesExactly(string spec, int steps = 8) => AssertResumesExactly(() => Learner(spec, tasks: 3, steps: steps), steps);

    /// <summary>As <see cref="AssertResumesExactly(string, int)"/> for learners from <paramref name="build"/> (tasks of <paramref name="steps"/> steps).</summary>
    public static void AssertResumesExactly(Func<Learner> build, int steps)
    {
        var options = new TrainerOptions(LogEvery: 2, CheckpointEverySteps: 5);
        Learner Build() => build();
        using var whole = new TestData.TempFolder();
        var expected = new Trainer(Build(), TinyRuns.Evaluator(), options, new RunDirectory(whole.Path)).Run();

        using var broken = new TestData.TempFolder();
        var directory = new RunDirectory(broken.Path);
        Assert.Throws<Interruption>(() => new Trainer(Build(), TinyRuns.Evaluator(), options, directory, new CrashAfter(steps + 7)).Run());
        var resumed = new Trainer(Build(), TinyRuns.Evaluator(), options, directory).Resume();

        Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
        Assert.Equal(File.ReadAllText(Path.Combine(whole.Path, "metrics.jsonl")), File.ReadAllText(directory.MetricsFile));
    }

    /// <summary>Mean online accuracy over the last <paramref name="lastTasks"/> tasks of a run.</summary>
    public static double LateOnlineAccuracy(RunResult result, int lastTasks) => result.OnlineAccuracy.TakeLast(lastTasks).Average();

    /// <summary>Parameter values by name, copied.</summary>
    public static Dictionary<string, float[]> Values(Module network) => network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
}
