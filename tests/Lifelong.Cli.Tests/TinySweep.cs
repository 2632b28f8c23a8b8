using System.Globalization;
using System.Text.Json.Nodes;
using Lifelong.Cli.Sweeps;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Tests;

/// <summary>A small sweep written, planned and run to the end in this process, as the sweep tests of each command need it.</summary>
internal static class TinySweep
{
    /// <summary>Writes <paramref name="yaml"/> as <c>name.yaml</c> in <paramref name="folder"/>, checks that a dry run plans
    /// <paramref name="runs"/> runs, saves the plan under <c>sweep/</c> and runs each by index with <c>sweep run-one</c>
    /// (what each executor's child does). Every run directory must hold its command's config, named by
    /// <paramref name="kind"/>, with its own seed.</summary>
    /// <returns>The plan and the sweep's directory.</returns>
    public static (SweepPlan Plan, string Directory) PlanAndRunAll(Cli.TempFolder folder, string name, string yaml, int runs, string kind)
    {
        Directory.CreateDirectory(folder.Path);
        string file = folder.Sub($"{name}.yaml"), directory = folder.Sub("sweep");
        File.WriteAllText(file, yaml);
        var dry = Cli.Run("sweep", file, "--dry-run", "--out", directory);
        Assert.True(dry.Code == 0, dry.Error);
        Assert.Contains($"{runs} runs", dry.Output, StringComparison.Ordinal);

        var (definition, _) = SweepFile.Read(file);
        var command = SweepCommands.Find(SweepFile.Command(file).Command)!;
        var plan = ExperimentSweep.Create(name, definition, command, command.DefaultMetrics);
        plan.Save(directory);
        for (int i = 0; i < plan.Runs.Count; i++)
        {
            var one = Cli.Run("sweep", "run-one", directory, i.ToString(CultureInfo.InvariantCulture));
            Assert.True(one.Code == 0, one.Error + one.Output);
        }
        // Each run directory is the command's own, named by the hash of its resolved config.
        foreach (var run in plan.Runs)
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "runs", run.Hash, "config.json")))!;
            Assert.Equal(kind, (string)config["kind"]!);
            Assert.Equal(run.Seed, (ulong)config["seed"]!);
        }
        return (plan, directory);
    }

    /// <summary>The result.json of one run of the sweep.</summary>
    public static JsonNode Result(string directory, SweepRun run) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "runs", run.Hash, "result.json")))!;
}
