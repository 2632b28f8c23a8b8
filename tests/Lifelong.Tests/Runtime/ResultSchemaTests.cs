using Lifelong.Methods;
using System.Text.Json.Nodes;
using Lifelong.Runs;

namespace Lifelong.Tests.Runtime;

public class ResultSchemaTests
{
    [Fact]
    public void Result_json_has_exactly_the_documented_snake_case_keys()
    {
        using var folder = new TestData.TempFolder();
        var directory = new RunDirectory(folder.Path);
        new Trainer(TinyRuns.Learner(TinyRuns.Permuted(tasks: 2, steps: 3), [new Finetune()]), TinyRuns.Evaluator(), null, directory).Run();
        var json = JsonNode.Parse(File.ReadAllText(directory.ResultFile))!.AsObject();

        Assert.Equal(
            ["scenario", "methods", "seed", "tasks", "accuracy_matrix", "random_init_accuracy", "online_accuracy", "summary", "probes", "wall_seconds", "evaluation", "provenance"],
            json.Select(p => p.Key));
        Assert.Equal(["acc", "avg_incremental_acc", "bwt", "fwt", "forgetting", "total_online_accuracy"], json["summary"]!.AsObject().Select(p => p.Key));
        var probe = json["probes"]![0]!.AsObject();
        Assert.Equal(["task", "layers", "weight_magnitude", "distance_from_init"], probe.Select(p => p.Key));
        Assert.Equal(["name", "dead_fraction", "dormant_fraction", "srank", "effective_rank"], probe["layers"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal("permuted-mnist", (string?)json["scenario"]);
        Assert.Equal(["finetune"], json["methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal(2, (int)json["tasks"]!);
        var matrix = json["accuracy_matrix"]!.AsArray();
        Assert.Equal(2, matrix.Count);
        Assert.All(matrix, row => Assert.All(row!.AsArray(), v => Assert.InRange((double)v!, 0, 1)));
        Assert.Equal("fc1", (string?)probe["layers"]![0]!["name"]);
        foreach (string csv in new[] { "accuracy_matrix.csv", "tasks.csv", "probes.csv" }) Assert.True(File.Exists(Path.Combine(folder.Path, csv)), csv);
        Assert.Equal(2, File.ReadLines(directory.MetricsFile).Count(l => l.Contains("\"event\":\"task_end\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Evaluating_every_second_task_fills_only_the_diagonal_and_next_task_in_between()
    {
        var result = new Trainer(TinyRuns.Learner(TinyRuns.Permuted(tasks: 4, steps: 2), [new Finetune()]), TinyRuns.Evaluator(every: 2)).Run();

        bool[][] present = [.. result.AccuracyMatrix.Select(row => row.Select(v => v.HasValue).ToArray())];
        Assert.Equal([true, true, true, true], present[0]);     // row 0: full (0 % 2 == 0)
        Assert.Equal([false, true, true, false], present[1]);   // row 1: R[1][1] and R[1][2] only
        Assert.Equal([true, true, true, true], present[2]);
        Assert.Equal([true, true, true, true], present[3]);     // the last row is always full
        Assert.Equal(2, result.Evaluation.Every);
    }
}
