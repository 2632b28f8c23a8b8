namespace Lifelong.Cli.Tests;

public class ResultTableTests
{
    [Fact]
    public void The_comparison_table_fits_80_columns_with_the_same_numbers_as_the_full_one()
    {
        using var folder = new Cli.TempFolder();
        var run = Cli.Run(Cli.SmallRun(folder.Sub("run"), steps: 3));
        Assert.True(run.Code == 0, run.Error);
        var result = Results.RunResult.Load(Path.Combine(folder.Sub("run"), "result.json"));
        string full = ResultTable.Comparison([result, result], ["finetune", "l2init+replay"]);
        string narrow = ResultTable.Comparison([result, result], ["finetune", "l2init+replay"], width: 80);
        Assert.Contains(full.Split('\n'), line => line.Length > 80);
        Assert.All(narrow.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length < 80, line));
        // Each row carries the same figures in both layouts.
        static string[] Figures(string table) => [.. table.Split('\n').Where(l => l.StartsWith("  l2init+replay", StringComparison.Ordinal)).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))];
        Assert.Equal(Figures(full), Figures(narrow));
        Assert.Equal(7, Figures(narrow).Length);
    }
}
