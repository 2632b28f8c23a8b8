using Lifelong.Results;
using Lifelong.Runs;

namespace Lifelong.Cli.Tests;

public class ReportFiguresTests
{
    [Fact]
    public void Report_keeps_the_comparisons_order_and_writes_figures_and_tables()
    {
        using var folder = new Cli.TempFolder();
        string root = folder.Sub("compare");
        // Written in alphabetical order, so neither the file system nor the clock gives the comparison's order.
        string[] order = ["replay", "finetune", "ewc"];
        new CompareManifest(new RunConfig(), order).Save(root);
        foreach (string method in order.Order(StringComparer.Ordinal)) WriteResult(Path.Combine(root, method), method);

        var (code, output, error) = Cli.Run("report", root, "--figures", folder.Sub("figures"), "--out", folder.Sub("report.html"));

        Assert.True(code == 0, error);
        Assert.Contains("figure and table files", output, StringComparison.Ordinal);
        string html = File.ReadAllText(folder.Sub("report.html"));
        var positions = order.Select(m => html.IndexOf($"s · {m}", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        var rows = File.ReadAllLines(Path.Combine(folder.Sub("figures"), "summary.md")).Skip(2).Select(l => l.Split('|')[2].Trim()).ToList();
        Assert.Equal(order, rows);
        Assert.True(File.Exists(Path.Combine(folder.Sub("figures"), "01-accuracy-matrix-s-replay.png")));
        Assert.True(File.Exists(Path.Combine(folder.Sub("figures"), "summary.tex")));
    }

    [Fact]
    public void Figures_without_a_directory_is_a_usage_error()
    {
        var (code, _, error) = Cli.Run("report", "somewhere", "--figures");
        Assert.Equal(2, code);
        Assert.Contains("--figures needs a value", error, StringComparison.Ordinal);
    }

    private static void WriteResult(string directory, string method)
    {
        Directory.CreateDirectory(directory);
        double?[][] matrix = [[0.9, 0.1], [0.8, 0.9]];
        var result = new RunResult("s", [method], 0, 2, [.. matrix.Select(r => (IReadOnlyList<double?>)r)], [0.1, 0.1], [0.8, 0.8],
            new RunSummary(0.85, 0.87, -0.1, 0, 0.1, 0.8), [], 1.0, new EvaluationSchedule());
        File.WriteAllText(Path.Combine(directory, "result.json"), result.ToJson());
    }
}
