using Lifelong.Catalog;
using Lifelong.Cli.Sweeps;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Tests;

/// <summary>A sweep file's <c>config:</c>: a run preset as the base, so a preset becomes a sweep without copying it.</summary>
public sealed class SweepConfigIncludeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"lifelong-sweep-include-{Guid.NewGuid():N}");

    public SweepConfigIncludeTests()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "sweeps"));
        File.WriteAllText(Path.Combine(_directory, "preset.yaml"), """
            scenario: permuted-mnist:train-per-task=1000,test-size=300
            tasks: 3
            steps: 40
            model: mlp:32
            eval-every: 2
            seed: 7
            compare: [finetune, "l2init:lambda=0.1"]
            """);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private SweepPlan Plan(string sweep)
    {
        string file = Path.Combine(_directory, "sweeps", "s.yaml");
        File.WriteAllText(file, sweep);
        var (definition, metrics) = SweepFile.Read(file);
        return SweepPlan.Create("s", definition, point => SweepFile.ConfigOf(definition, point), metrics);
    }

    [Fact]
    public void The_presets_compare_entries_become_variants_on_every_seed_and_equal_the_preset_written_out()
    {
        // The path is relative to the sweep file, not to the working directory.
        var included = Plan("config: ../preset.yaml\nseeds: 2\n");
        var written = Plan("""
            scenario: permuted-mnist:train-per-task=1000,test-size=300
            tasks: 3
            steps: 40
            model: mlp:32
            eval_every: 2
            compare: [finetune, "l2init:lambda=0.1"]
            seeds: 2
            """);
        Assert.Equal(4, included.Runs.Count);
        Assert.Equal(written.Runs.Select(r => r.Hash), included.Runs.Select(r => r.Hash));
        Assert.Equal([0UL, 1UL, 0UL, 1UL], included.Runs.Select(r => r.Seed));
    }

    [Fact]
    public void The_sweep_files_own_settings_override_the_presets_and_its_compare_list_replaces_the_presets()
    {
        var plan = Plan("config: ../preset.yaml\nsteps: 10\ncompare: [l2]\n");
        var run = Assert.Single(plan.Runs);
        Assert.Contains("steps=10", run.Config!.Scenario, StringComparison.Ordinal);   // resolution moves steps into the scenario
        Assert.Equal(2, run.Config!.EvalEvery);
        Assert.Equal(7UL, run.Seed);                                  // no seeds: the preset's seed
        Assert.StartsWith("l2", run.Config!.Methods[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_preset_is_named_with_where_it_was_looked_for()
    {
        var e = Assert.Throws<ConfigurationException>(() => Plan("config: ../nowhere.yaml\n"));
        Assert.Contains("config file '../nowhere.yaml' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("relative to the sweep file", e.Message, StringComparison.Ordinal);
    }
}
