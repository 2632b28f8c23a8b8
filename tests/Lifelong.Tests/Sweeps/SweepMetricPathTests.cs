using Lifelong.Catalog;
using Lifelong.Results;
using Lifelong.Sweeps;

namespace Lifelong.Tests.Sweeps;

public class SweepMetricPathTests
{
    // Three tasks; the numbers are chosen so every mean below is exact in binary or checked to 12 digits.
    private static RunResult Result(double finalAccuracy = 0.5, double oracle = 0.75) => new(
        Scenario: "permuted-mnist", Methods: ["sotu"], Seed: 0, Tasks: 3,
        AccuracyMatrix: [[0.9, null, null], [0.8, 0.7, null], [0.5, 0.25, finalAccuracy]],
        RandomInitAccuracy: [0.1, 0.1, 0.1],
        OnlineAccuracy: [0.25, 0.5, 1.0],
        Summary: new RunSummary(Acc: 0.5, AvgIncrementalAcc: 0.6, Bwt: -0.3, Fwt: 0, Forgetting: 0.3, TotalOnlineAccuracy: 0.6),
        Probes:
        [
            new TaskProbe(0, [new LayerProbe("fc1", 0.0, 0.0, 10, 9.0)], 0.01, 0.0, new Dictionary<string, double> { ["units.fc1"] = 312 }),
            new TaskProbe(1, [new LayerProbe("fc1", 0.25, 0.0, 20, 9.0), new LayerProbe("fc2", 0.75, 0.0, 5, 4.0)], 0.03, 1.0,
                new Dictionary<string, double> { ["units.fc1"] = 331, ["oracle_acc"] = oracle }),
        ],
        WallSeconds: 1, Evaluation: new EvaluationSchedule())
    { AurocMatrix = [[0.99, null, null], [0.98, 0.97, null], [0.9, 0.8, 0.7]] };

    private static double Value(string metric, RunResult? result = null) => SweepMetrics.Get(metric).Value(result ?? Result());

    [Fact]
    public void An_index_picks_one_task_and_a_slice_averages_its_tasks_as_python_slices_do()
    {
        Assert.Equal(0.25, Value("online_accuracy[0]"));
        Assert.Equal(1.0, Value("online_accuracy[-1]"));
        Assert.Equal(0.375, Value("online_accuracy[:2]"));           // (0.25 + 0.5) / 2
        Assert.Equal(0.75, Value("online_accuracy[-2:]"));           // (0.5 + 1) / 2
        Assert.Equal(0.5, Value("online_accuracy[1:2]"));
        Assert.Equal(1.25 / 3, Value("accuracy_matrix[2]"), 12);     // a whole row is its mean: (0.5 + 0.25 + 0.5) / 3
        Assert.Equal(0.6, Value("online_accuracy"));                 // the bare name stays the summary's total online accuracy
        Assert.Equal(0.25, Value("first_task_online"));
        Assert.Equal(1.0, Value("last_task_online"));
        Assert.Equal(0.25, Value("accuracy_matrix[2][1]"));
    }

    [Fact]
    public void The_probe_short_names_average_the_last_probes_layers()
    {
        Assert.Equal(0.5, Value("dead_fraction"));                   // (0.25 + 0.75) / 2, the last probe only
        Assert.Equal(12.5, Value("srank"));                          // (20 + 5) / 2
        Assert.Equal(12.5, Value("probes[-1].layers[*].srank"));
        Assert.Equal(10, Value("probes[0].layers[*].srank"));
        Assert.Equal(0.03, Value("weight_magnitude"));
        Assert.Equal(0.8, Value("auroc"), 12);                       // the final row of the AUROC matrix: (0.9 + 0.8 + 0.7) / 3
    }

    [Fact]
    public void A_method_entry_is_read_from_the_last_probe_even_when_its_name_holds_a_dot()
    {
        Assert.Equal(331, Value("method.units.fc1"));
        Assert.Equal(312, Value("probes[0].method.units.fc1"));
        Assert.Equal(0.75, Value("method.oracle_acc"));
        // What a method does not report is NaN, which the table leaves out of its mean and shows as n/a.
        Assert.True(double.IsNaN(Value("method.collision_rate")));
        Assert.True(double.IsNaN(Value("probes[0].method.oracle_acc")));
    }

    [Fact]
    public void A_difference_is_taken_run_by_run()
    {
        var metric = SweepMetrics.Get("method.oracle_acc - acc");
        Assert.Equal("method.oracle_acc - acc", metric.Name);
        Assert.Equal(0.25, metric.Value(Result()));
        Assert.Equal(0.5, metric.Value(Result(oracle: 1.0)));
        Assert.Equal(0.1, Value("online_accuracy - acc"), 12);        // named metrics on both sides: 0.6 − 0.5
    }

    [Theory]
    [InlineData("probez[-1].srank", "result.json has no key 'probez' (its keys: accuracy_matrix, auroc_matrix, evaluation, methods,")]
    [InlineData("online_accuracy[x]", "'[x]' is not an index")]
    [InlineData("online_accuracy[0", "without its ']'")]
    [InlineData("summary.", "ends with '.'")]
    [InlineData("acc - bwt - fwt", "a difference has two sides")]
    [InlineData("accuracyy", "unknown metric 'accuracyy'")]
    public void A_malformed_metric_is_refused_with_what_is_wrong(string metric, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => SweepMetrics.Get(metric));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
