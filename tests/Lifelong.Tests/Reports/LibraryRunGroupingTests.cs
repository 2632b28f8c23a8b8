using Lifelong.Methods;
using Lifelong.Reports;
using Lifelong.Runs;
using Lifelong.Tests.Runtime;

namespace Lifelong.Tests.Reports;

public class LibraryRunGroupingTests
{
    [Fact]
    public void Runs_made_with_the_library_trainer_at_two_lambdas_are_two_groups_not_two_seeds()
    {
        // As a new user would: the same seed, L2 Init at λ = 1 and λ = 0.01, each trained by a Trainer into its directory.
        using var folder = new TestData.TempFolder();
        var directories = new List<string>();
        foreach (float lambda in new[] { 1f, 0.01f })
        {
            var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 2, steps: 4), [new L2Init(new L2InitOptions(lambda))]);
            var directory = new RunDirectory(folder.File($"lambda-{lambda}"));
            new Trainer(learner, TinyRuns.Evaluator(), directory: directory).Run();
            directories.Add(directory.Path);
        }
        string config = File.ReadAllText(Path.Combine(directories[0], "config.json"));
        Assert.Contains("\"l2init:lambda=1\"", config, StringComparison.Ordinal);
        Assert.Contains("\"fc1.weight\"", config, StringComparison.Ordinal);

        var groups = RunGroup.Form([.. directories.Select(ReportRun.Load)]);
        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Single(g.Runs));
        Assert.Contains("l2init:lambda=1", groups[0].Distinction, StringComparison.Ordinal);
        Assert.Contains("l2init:lambda=0.01", groups[1].Distinction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_built_from_a_config_keeps_its_own_config_json()
    {
        using var folder = new TestData.TempFolder();
        var learner = TinyRuns.Learner(TinyRuns.Permuted(tasks: 2, steps: 4), [new Finetune()]);
        var directory = new RunDirectory(folder.File("run"));
        File.WriteAllText(directory.ConfigFile, "{\"scenario\": \"written first\"}\n");
        new Trainer(learner, TinyRuns.Evaluator(), directory: directory).Run();
        Assert.Equal("{\"scenario\": \"written first\"}\n", File.ReadAllText(directory.ConfigFile));
    }
}
