using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Tests.Reports;

/// <summary>Hand-built run results for the report tests, and writing them as run directories.</summary>
internal static class ReportRuns
{
    /// <summary>A T-task run whose accuracies depend on the seed: R[i][j] = 0.9 − 0.1·(i − j) − 0.01·seed below and on
    /// the diagonal, 0.1 above; with <paramref name="skipMiddle"/> every entry more than one place off a row's diagonal is
    /// null in the rows before the last (an evaluation schedule with every = T − 1).</summary>
    public static RunResult Result(string scenario, string[] methods, ulong seed, int tasks = 3, bool skipMiddle = false)
    {
        var matrix = new List<IReadOnlyList<double?>>();
        for (int i = 0; i < tasks; i++)
        {
            var row = new double?[tasks];
            for (int j = 0; j < tasks; j++)
            {
                bool skipped = skipMiddle && i < tasks - 1 && j != i && j != i + 1;
                row[j] = skipped ? null : j <= i ? 0.9 - 0.1 * (i - j) - 0.01 * seed : 0.1;
            }
            matrix.Add(row);
        }
        var probes = Enumerable.Range(0, tasks).Select(t => new TaskProbe(t,
            [new LayerProbe("fc1", 0.01 * t, 0.02 * t + 0.001 * seed, 50 - t, 40.5 - t), new LayerProbe("fc2", 0.03 * t, 0.04 * t, 30 - t, 25.0 - t)],
            0.05 + 0.001 * t, 1.5 * t + 0.1 * seed)).ToList();
        return new RunResult(scenario, methods, seed, tasks, matrix,
            RandomInitAccuracy: Enumerable.Repeat(0.1, tasks).ToList(),
            OnlineAccuracy: Enumerable.Range(0, tasks).Select(t => 0.8 - 0.05 * t - 0.01 * seed).ToList(),
            Summary: new RunSummary(0.7 - 0.01 * seed, 0.8, -0.1 - 0.01 * seed, 0.0, 0.12, 0.75),
            Probes: probes, WallSeconds: 12.5 + seed,
            Evaluation: new EvaluationSchedule(skipMiddle ? tasks - 1 : 1));
    }

    /// <summary>Writes <paramref name="result"/> (and a config naming its seed and out dir) to a new folder under <paramref name="root"/>.</summary>
    public static string WriteRun(string root, string name, RunResult result, string? extraConfig = null)
    {
        string directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "result.json"), result.ToJson());
        string config = $$"""{ "scenario": "{{result.Scenario}}", "seed": {{result.Seed}}, "out_dir": "{{name}}", "lr": 0.01{{extraConfig}} }""";
        File.WriteAllText(Path.Combine(directory, "config.json"), config);
        return directory;
    }

    /// <summary>Loads run directories the way the CLI does.</summary>
    public static List<ReportRun> Load(params string[] directories) => directories.Select(ReportRun.Load).ToList();
}
