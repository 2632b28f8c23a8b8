using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tests.Runtime;

namespace Lifelong.Tests.Methods;

/// <summary>Every method in the catalog survives a crash: interrupted at a task boundary and mid-task, then resumed, a run
/// gives the numbers of an uninterrupted one. This is what catches state a method forgot to save.</summary>
public class MethodResumeTests
{

    /// <summary>Options that make every mechanism fire within a few steps (recycle often, replace often, small buffers).</summary>
    private static readonly Dictionary<string, string> Busy = new()
    {
        ["redo"] = "redo:period=2,threshold=0.5,reset-to=fresh,reset-optimizer-state=true",
        ["cbp"] = "cbp:replacement-rate=0.2,maturity=1",
        ["shrink-perturb"] = "shrink-perturb:shrink=0.1,sigma=0.1",
        ["den"] = "den:loss-threshold=0,split-threshold=0.01",
        ["ranpac"] = "ranpac:projection=24",
        ["sotu"] = "sotu:head=ran-pac,projection=24,selection=fisher,fisher-samples=10",
    };

    public static TheoryData<string> Methods() => [.. MethodCatalog.All.Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Methods))]
    public void A_resumed_run_matches_an_uninterrupted_one(string method)
    {
        string spec = Busy.GetValueOrDefault(method, method);
        var options = new TrainerOptions(LogEvery: 3, CheckpointEverySteps: 4);
        using var whole = new TestData.TempFolder();
        var expected = new Trainer(Build(spec), TinyRuns.Evaluator(), options, new RunDirectory(whole.Path)).Run();

        foreach (long crashAfter in new long[] { 8, 10 })   // just after the task-0 checkpoint; two steps past a mid-task one
        {
            using var broken = new TestData.TempFolder();
            var directory = new RunDirectory(broken.Path);
            Assert.Throws<Interruption>(() => new Trainer(Build(spec), TinyRuns.Evaluator(), options, directory, new CrashAfter(crashAfter)).Run());
            var resumed = new Trainer(Build(spec), TinyRuns.Evaluator(), options, directory).Resume();
            Assert.Equal(ResultNumbers.Of(expected), ResultNumbers.Of(resumed));
        }
    }

    // UPGD is an update rule applied through plain SGD and refuses other optimizers; DEN needs a head per task.
    private static Training.Learner Build(string spec) =>
        TinyRuns.Learner(spec.StartsWith("den", StringComparison.Ordinal) ? TinyRuns.TaskIncremental(steps: 6) : TinyRuns.Permuted(tasks: 3, steps: 6),
            MethodCatalog.Create([spec]), sgd: spec.StartsWith("upgd", StringComparison.Ordinal));
}
