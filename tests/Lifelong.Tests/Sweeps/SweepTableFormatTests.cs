using Lifelong.Catalog;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Sweeps;

namespace Lifelong.Tests.Sweeps;

/// <summary>The table of a sweep directory holding fixed result.json files, against means, sample deviations and
/// intervals computed by hand: what the reproduction pages' tables are made of.</summary>
public sealed class SweepTableFormatTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"lifelong-sweep-table-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    // Two variants (finetune, l2init) × seeds 0, 1, 2. ACC: finetune 0.80, 0.90, 1.00; l2init 0.50, 0.50, 0.80.
    // The last task's online accuracy is ACC − 0.1, and l2init alone reports a method entry.
    private SweepPlan Sweep()
    {
        var definition = new SweepDefinition([], [new SweepAxis("method", ["finetune", "l2init"])], [], [0, 1, 2], null);
        var plan = SweepPlan.Create("table", definition, point => SweepSettings.Apply(new RunConfig { Scenario = "permuted-mnist", Model = "mlp:16" }, "method", point[0].Value), ["acc"]);
        double[][] acc = [[0.80, 0.90, 1.00], [0.50, 0.50, 0.80]];
        foreach (var run in plan.Runs)
        {
            int variant = run.Config!.Methods[0] == "finetune" ? 0 : 1;
            double a = acc[variant][run.Seed];
            var probes = variant == 1 ? new List<TaskProbe> { new(0, [], 0, 0, new Dictionary<string, double> { ["oracle_acc"] = a + 0.05 * (run.Seed + 1) }) } : [];
            var result = new RunResult("permuted-mnist", [run.Config!.Methods[0]], run.Seed, 1, [[a]], [0.1], [a - 0.1],
                new RunSummary(a, a, 0, 0, 0, a), probes, 1, new EvaluationSchedule());
            string directory = SweepPlan.RunDirectoryOf(_directory, run);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "result.json"), result.ToJson());
        }
        return plan;
    }

    [Fact]
    public void Mean_sample_std_and_the_t_interval_match_a_hand_computation()
    {
        var plan = Sweep();
        var table = SweepTable.Build(_directory, plan, ["acc", "last_task_online"]);
        // finetune: mean 0.9, s = 0.1, half-width t₀.₉₇₅,₂ · s/√3 = 4.302653 · 0.057735 = 0.248414.
        // l2init: mean 0.6, s = √(((−0.1)² + (−0.1)² + 0.2²)/2) = √0.03 = 0.173205, half-width 0.430265.
        Assert.Equal(0.9, table.Rows[0].Cells[0].Stat.Mean, 12);
        Assert.Equal(0.1, table.Rows[0].Cells[0].Stat.Std, 12);
        Assert.Equal(0.248414, table.Rows[0].Cells[0].HalfWidth, 6);
        Assert.Equal(Math.Sqrt(0.03), table.Rows[1].Cells[0].Stat.Std, 12);
        Assert.Equal(0.430265, table.Rows[1].Cells[0].HalfWidth, 6);
        Assert.Equal(0.5, table.Rows[1].Cells[1].Stat.Mean, 12);     // last task online = ACC − 0.1

        string markdown = table.Format("markdown", new SweepTableStyle("mean-std-ci", Digits: 4));
        Assert.Contains("| method=finetune | 3 | 0.9000 ± 0.1000 [0.6516, 1.1484] | 0.8000 ± 0.1000 [0.5516, 1.0484] |", markdown, StringComparison.Ordinal);
        Assert.Contains("| method=l2init | 3 | 0.6000 ± 0.1732 [0.1697, 1.0303] | 0.5000 ± 0.1732 [0.0697, 0.9303] |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_digits_and_cells_print_what_the_reproduction_tables_show()
    {
        var table = SweepTable.Build(_directory, Sweep(), ["acc"]);
        Assert.Contains("| method=finetune | 3 | 90.0 ± 10.0 |", table.Format("markdown", new SweepTableStyle("mean-std", Digits: 1, Percent: true)), StringComparison.Ordinal);
        Assert.Contains("| method=l2init | 3 | 0.60 |", table.Format("markdown", new SweepTableStyle("mean", Digits: 2)), StringComparison.Ordinal);
        // csv keeps every number in full whatever the style.
        Assert.Contains("method=finetune,3,0,0.9", table.Format("csv", new SweepTableStyle("mean", Digits: 1, Percent: true)), StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => table.Format("text", new SweepTableStyle("median")));
    }

    [Fact]
    public void Numbers_round_as_python_and_printf_print_them_so_a_regenerated_table_matches_the_scripts_to_the_last_digit()
    {
        // Python: f"{0.505:.2f}" is 0.51 (the double is just above the tie), f"{0.125:.2f}" is 0.12 (an exact tie, to
        // even), f"{100 * -0.0004:.1f}" is -0.0 (the sign of a negative value is kept).
        static string Markdown(double mean, double std, int count, int digits, bool percent) =>
            new SweepTable(["m"], [new SweepRow("v", [], 0, [new SweepCell(new Lifelong.Reports.MeanStd(mean, std, count), double.NaN)])])
                .Format("markdown", new SweepTableStyle("mean-std", digits, percent)).Split('\n')[2].Trim();
        Assert.Equal("| v | 0 | 0.51 |", Markdown(0.505, 0, 1, 2, false));
        Assert.Equal("| v | 0 | 0.12 |", Markdown(0.125, 0, 1, 2, false));
        Assert.Equal("| v | 0 | -0.0 ± 0.4 |", Markdown(-0.0004, 0.004, 3, 1, true));
    }

    [Fact]
    public void A_seed_filter_keeps_those_seeds_and_a_single_seed_prints_its_value_alone()
    {
        var table = SweepTable.Build(_directory, Sweep(), ["acc"], seeds: [2UL]);
        Assert.All(table.Rows, r => Assert.Equal([2UL], r.Seeds));
        string markdown = table.Format("markdown", new SweepTableStyle("mean-std-ci", Digits: 3));
        Assert.Contains("| method=finetune | 1 | 1.000 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| method=l2init | 1 | 0.800 |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_method_entry_only_some_variants_report_is_na_elsewhere_and_a_paired_difference_has_the_spread_of_the_differences()
    {
        var table = SweepTable.Build(_directory, Sweep(), ["method.oracle_acc", "method.oracle_acc - acc"]);
        string markdown = table.Format("markdown", new SweepTableStyle("mean-std", Digits: 3));
        Assert.Contains("| method=finetune | 3 | n/a | n/a |", markdown, StringComparison.Ordinal);
        // l2init: oracle = ACC + 0.05, 0.10, 0.15 → 0.55, 0.60, 0.95 (mean 0.7, s = √((0.15² + 0.1² + 0.25²)/2) = 0.217945);
        // the differences 0.05, 0.10, 0.15 have mean 0.1 and s = 0.05, far below either column's own spread.
        Assert.Contains("| method=l2init | 3 | 0.700 ± 0.218 | 0.100 ± 0.050 |", markdown, StringComparison.Ordinal);
    }
}
