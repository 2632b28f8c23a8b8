using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>The charts of the report, built from run groups: one heatmap and one forgetting chart per group, and
/// overlays of every group for plasticity and the probes.</summary>
internal static class ReportCharts
{
    /// <summary>The accuracy matrix, mean over the group's seeds, std in the tooltips.</summary>
    public static Heatmap AccuracyMatrix(RunGroup group)
    {
        var stats = MatrixStats(group);
        return new Heatmap
        {
            Title = $"Accuracy matrix R[i][j]{SeedNote(group)}",
            Values = stats.Select(row => (IReadOnlyList<double?>)row.Select(s => s.Count == 0 ? (double?)null : s.Mean).ToList()).ToList(),
            Std = group.Runs.Count > 1 ? stats.Select(row => (IReadOnlyList<double?>)row.Select(s => (double?)s.Std).ToList()).ToList() : null,
            RowTitle = "i: after training on task",
            ColumnTitle = "j: accuracy on task",
        };
    }

    /// <summary>The most task lines drawn in <see cref="TaskAccuracyOverTime"/>; a longer stream shows every k-th task.</summary>
    internal const int MaxTaskLines = 12;

    /// <summary>One line per task j: R[i][j] for i ≥ j, how task j is remembered as later tasks are learned (on a long
    /// stream, every k-th task and the last, so the chart stays readable).</summary>
    public static LineChart TaskAccuracyOverTime(RunGroup group)
    {
        var stats = MatrixStats(group);
        var series = new List<ChartSeries>();
        int every = group.Tasks <= MaxTaskLines ? 1 : (int)Math.Ceiling((group.Tasks - 1) / (MaxTaskLines - 1.0));
        var shown = Enumerable.Range(0, group.Tasks).Where(j => j % every == 0 || j == group.Tasks - 1);
        foreach (int j in shown)
        {
            var points = Enumerable.Range(j, group.Tasks - j)
                .Where(i => stats[i][j].Count > 0)
                .Select(i => Point(group, i + 1, stats[i][j]))
                .ToList();
            series.Add(new ChartSeries($"task {j + 1}", Markup.Colour(j), points));
        }
        return new LineChart
        {
            Title = every == 1 ? $"Accuracy on each task over time{SeedNote(group)}" : $"Accuracy on every {every}th task over time{SeedNote(group)}",
            XLabel = "after training on task",
            YLabel = "test accuracy",
            IncludeZero = false,
            YBounds = (0, 1),
            Series = series,
        };
    }

    /// <summary>Per-task online accuracy of every group: how well each new task is picked up (plasticity).</summary>
    public static LineChart OnlineAccuracy(IReadOnlyList<RunGroup> groups) =>
        Overlay(groups, "Online accuracy per task (plasticity)", "online accuracy", Scale.Fraction,
            (result, task) => task < result.OnlineAccuracy.Count ? result.OnlineAccuracy[task] : null);

    /// <summary>The training loss of every group (the metrics.jsonl window means), mean over seeds at each logged step;
    /// null when no run has a loss curve.</summary>
    public static LineChart? TrainingLoss(IReadOnlyList<RunGroup> groups)
    {
        if (!groups.SelectMany(g => g.Runs).Any(r => r.TrainingLoss.Count > 0)) return null;
        var series = groups.Select(group =>
        {
            var byStep = group.Runs.SelectMany(r => r.TrainingLoss).GroupBy(p => p.Step).OrderBy(g => g.Key);
            var points = byStep.Select(g => (Step: g.Key, Stat: MeanStd.Of(g.Select(p => p.Loss))))
                .Where(p => p.Stat.Count > 0)
                .Select(p => new ChartPoint(p.Step, p.Stat.Mean, group.Runs.Count > 1 ? p.Stat.Std : null))
                .ToList();
            return new ChartSeries(group.Label, group.Colour, points);
        });
        return new LineChart
        {
            Title = "Training loss",
            XLabel = "training step",
            YLabel = "loss (mean over each logging window)",
            IncludeZero = false,
            IntegerX = false,
            Markers = false,
            Series = [.. series],
        };
    }

    /// <summary>The probe charts, every group overlaid; empty when no run recorded probes.</summary>
    public static IReadOnlyList<LineChart> Probes(IReadOnlyList<RunGroup> groups)
    {
        if (!groups.SelectMany(g => g.Runs).Any(r => r.Result.Probes.Count > 0)) return [];
        return
        [
            Overlay(groups, "Dead units (mean over layers)", "dead fraction", Scale.FractionFromZero, LayerMean(l => l.DeadFraction)),
            Overlay(groups, "Dormant units (mean over layers)", "dormant fraction", Scale.FractionFromZero, LayerMean(l => l.DormantFraction)),
            Overlay(groups, "srank (mean over layers)", "srank", Scale.Data, LayerMean(l => l.Srank)),
            Overlay(groups, "Effective rank (mean over layers)", "effective rank", Scale.Data, LayerMean(l => l.EffectiveRank)),
            Overlay(groups, "Weight magnitude", "mean |θ|", Scale.Data, ProbeValue(p => p.WeightMagnitude)),
            Overlay(groups, "Distance from initialisation", "‖θ − θ₀‖₂", Scale.Data, ProbeValue(p => p.DistanceFromInit)),
        ];
    }

    /// <summary>Per cell, mean ± std over the group's runs of the non-null entries.</summary>
    private static MeanStd[][] MatrixStats(RunGroup group) =>
        Enumerable.Range(0, group.Tasks)
            .Select(i => Enumerable.Range(0, group.Tasks).Select(j => MeanStd.Of(group.Runs.Select(r => r.Result.AccuracyMatrix[i][j]))).ToArray())
            .ToArray();

    /// <summary>How an overlay's y axis fits its data.</summary>
    private enum Scale
    {
        /// <summary>The data's range, within [0, 1].</summary>
        Fraction,

        /// <summary>From 0 to the data's maximum, within [0, 1] (fractions near zero, where zero itself is the point).</summary>
        FractionFromZero,

        /// <summary>The data's range.</summary>
        Data,
    }

    private static LineChart Overlay(IReadOnlyList<RunGroup> groups, string title, string yLabel, Scale scale,
        Func<RunResult, int, double?> valueAt)
    {
        var series = groups.Select(group => new ChartSeries(group.Label, group.Colour,
            Enumerable.Range(0, group.Tasks)
                .Select(task => (Task: task, Stat: group.Stat(r => valueAt(r, task))))
                .Where(t => t.Stat.Count > 0)
                .Select(t => Point(group, t.Task + 1, t.Stat))
                .ToList()));
        return new LineChart
        {
            Title = title,
            XLabel = "task",
            YLabel = yLabel,
            IncludeZero = scale == Scale.FractionFromZero,
            YBounds = scale == Scale.Data ? null : (0, 1),
            Series = series.ToList(),
        };
    }

    private static Func<RunResult, int, double?> ProbeValue(Func<TaskProbe, double> value) =>
        (result, task) => result.Probes.FirstOrDefault(p => p.Task == task) is { } probe ? value(probe) : null;

    private static Func<RunResult, int, double?> LayerMean(Func<LayerProbe, double> value) =>
        (result, task) => result.Probes.FirstOrDefault(p => p.Task == task) is { Layers.Count: > 0 } probe
            ? probe.Layers.Average(value)
            : null;

    /// <summary>A chart point; the spread is kept only when the group has several runs, so single runs get no band.</summary>
    private static ChartPoint Point(RunGroup group, double x, MeanStd stat) =>
        new(x, stat.Mean, group.Runs.Count > 1 ? stat.Std : null);

    private static string SeedNote(RunGroup group) => group.Runs.Count > 1 ? $", mean of {group.Runs.Count} seeds" : "";
}
