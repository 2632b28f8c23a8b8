using Lifelong.Reports;

namespace Lifelong.Tests.Reports;

public class ReportInputTests
{
    [Fact]
    public void Result_json_round_trips_with_null_matrix_cells()
    {
        using var folder = new TestData.TempFolder();
        var result = ReportRuns.Result("s", ["ewc"], 7, tasks: 4, skipMiddle: true);

        var run = ReportRun.Load(ReportRuns.WriteRun(folder.Path, "run", result));

        Assert.Null(run.Result.AccuracyMatrix[0][2]);
        Assert.Equal(result.AccuracyMatrix[3][1], run.Result.AccuracyMatrix[3][1]);
        Assert.Contains("\"seed\": 7", run.ConfigText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_or_result_json_is_named_in_the_error()
    {
        using var folder = new TestData.TempFolder();
        string absent = Path.Combine(folder.Path, "absent");
        Directory.CreateDirectory(folder.File("empty"));

        var noDirectory = Assert.Throws<InvalidDataException>(() => ReportRun.Load(absent));
        var noResult = Assert.Throws<InvalidDataException>(() => ReportRun.Load(folder.File("empty")));

        Assert.Contains(absent, noDirectory.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder.File("empty"), "result.json"), noResult.Message, StringComparison.Ordinal);
        Assert.Contains("missing", noResult.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ not json", "not a Lifelong result.json")]
    [InlineData("{}", "'scenario' is missing")]
    [InlineData("""{ "scenario": "s", "methods": [], "tasks": 2, "accuracy_matrix": [[1, null]], "summary": {} }""", "not 2 × 2")]
    public void A_corrupt_result_json_is_named_with_what_is_wrong(string text, string problem)
    {
        using var folder = new TestData.TempFolder();
        File.WriteAllText(folder.File("result.json"), text);

        var error = Assert.Throws<InvalidDataException>(() => ReportRun.Load(folder.Path));

        Assert.Contains(folder.File("result.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeanStd_skips_nulls_and_uses_the_sample_deviation()
    {
        // Values 1, 2, 3: mean 2, Σ(x − 2)² = 2, sample variance 2 / (3 − 1) = 1.
        var stat = MeanStd.Of([1.0, null, 2.0, double.NaN, 3.0]);

        Assert.Equal(new MeanStd(2, 1, 3), stat);
        Assert.Equal("2.000 ± 1.000", stat.Format());
        Assert.Equal("n/a", MeanStd.Of(Array.Empty<double?>()).Format());
        Assert.Equal("0.000", MeanStd.Of([-0.0001]).Format());
    }

    [Fact]
    public void Seed_out_dir_and_timestamps_do_not_split_groups()
    {
        var a = RunGroup.ConfigPairs("""{ "lr": 0.1, "seed": 1, "out_dir": "a", "started_at": "2025-01-01", "model": { "width": 100 } }""");
        var b = RunGroup.ConfigPairs("""{ "model": { "width": 100 }, "Seed": 2, "out-dir": "b", "timestamp": 5, "lr": 0.1 }""");

        Assert.Equal(["lr=0.1", "model.width=100"], a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void An_empty_chart_says_no_data()
    {
        string svg = new LineChart { Title = "t", Series = [new ChartSeries("s", "#000", [])] }.ToSvg();

        Assert.Contains("no data", svg, StringComparison.Ordinal);
    }
}
