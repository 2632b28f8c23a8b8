using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Lifelong.Reports;

namespace Lifelong.Tests.Reports;

public class HtmlReportTests
{
    /// <summary>Three seeds of finetune, and one l2init run whose matrix has skipped (null) cells.</summary>
    private static (List<ReportRun> Runs, TestData.TempFolder Folder) ThreeSeedsAndOne(string scenario = "split-mnist")
    {
        var folder = new TestData.TempFolder();
        string[] directories =
        [
            .. new ulong[] { 3, 1, 2 }.Select(seed => ReportRuns.WriteRun(folder.Path, $"ft-{seed}", ReportRuns.Result(scenario, ["finetune"], seed))),
            ReportRuns.WriteRun(folder.Path, "l2init-1", ReportRuns.Result(scenario, ["l2init"], 1, tasks: 4, skipMiddle: true)),
        ];
        return (ReportRuns.Load(directories), folder);
    }

    private static XDocument ParseXml(string html) =>
        XDocument.Load(XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }));

    private static IEnumerable<XElement> Elements(XDocument document, string name, string? cssClass = null) =>
        document.Descendants().Where(e => e.Name.LocalName == name && (cssClass is null || (string?)e.Attribute("class") == cssClass));

    [Fact]
    public void Report_parses_as_xml_with_balanced_svg_tags()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;
        string html = HtmlReport.Write(runs);

        var document = ParseXml(html);
        Assert.Equal("html", document.Root!.Name.LocalName);
        Assert.Equal(Regex.Count(html, "<svg[ >]"), Regex.Count(html, "</svg>"));
        Assert.True(Elements(document, "svg").Count() >= 2 + 2 + 1 + 6);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void Runs_that_differ_only_by_seed_form_one_group_in_seed_order()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;

        var groups = RunGroup.Form(runs);

        Assert.Equal(2, groups.Count);
        Assert.Equal([1UL, 2UL, 3UL], groups[0].Seeds);
        Assert.Equal("split-mnist · finetune", groups[0].Label);
        Assert.Single(groups[1].Runs);
        Assert.NotEqual(groups[0].Colour, groups[1].Colour);
    }

    [Fact]
    public void A_different_config_value_splits_a_group_and_names_the_value()
    {
        using var folder = new TestData.TempFolder();
        var runs = ReportRuns.Load(
            ReportRuns.WriteRun(folder.Path, "a1", ReportRuns.Result("s", ["ewc"], 1)),
            ReportRuns.WriteRun(folder.Path, "a2", ReportRuns.Result("s", ["ewc"], 2)),
            ReportRuns.WriteRun(folder.Path, "b1", ReportRuns.Result("s", ["ewc"], 1), extraConfig: """, "lambda": 100"""));

        var groups = RunGroup.Form(runs);

        Assert.Equal(2, groups.Count);
        Assert.Equal(2, groups[0].Runs.Count);
        Assert.Contains("lambda=100", groups[1].Label, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_has_one_heatmap_per_group()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;

        var document = ParseXml(HtmlReport.Write(runs));

        Assert.Equal(2, Elements(document, "svg", "heatmap").Count());
    }

    [Fact]
    public void Heatmap_shows_the_mean_over_seeds_and_greys_out_skipped_cells()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;

        string html = HtmlReport.Write(runs);

        // R[0][0] is 0.9 − 0.01·seed for seeds 1, 2, 3: mean 0.88, sample std 0.01.
        Assert.Contains("row 1, column 1: 0.880 ± 0.010", html, StringComparison.Ordinal);
        Assert.Contains("not evaluated", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_seeds_get_a_band_and_a_single_seed_does_not()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;

        var seeded = ParseXml(HtmlReport.Write(runs));
        var single = ParseXml(HtmlReport.Write(runs.Where(r => r.Result.Methods[0] == "l2init").ToList()));

        Assert.NotEmpty(Elements(seeded, "polygon", "band"));
        Assert.Empty(Elements(single, "polygon", "band"));
    }

    [Fact]
    public void Summary_table_shows_mean_and_std_over_seeds()
    {
        var (runs, folder) = ThreeSeedsAndOne();
        using var _ = folder;

        var table = Elements(ParseXml(HtmlReport.Write(runs)), "table", "summary").Single();
        var rows = table.Descendants().Where(e => e.Name.LocalName == "tr").Skip(1).Select(r => r.Value).ToList();

        Assert.Equal(2, rows.Count);
        Assert.Contains("0.680 ± 0.010", rows[0], StringComparison.Ordinal);   // acc = 0.7 − 0.01·seed
        Assert.Contains("1, 2, 3", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain("±", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_results_and_configs_is_escaped()
    {
        var (runs, folder) = ThreeSeedsAndOne(scenario: "a<&>b");
        using var _ = folder;

        string html = HtmlReport.Write(runs, title: "x < y & z");

        Assert.DoesNotContain("a<&>b", html, StringComparison.Ordinal);
        Assert.Contains("a&lt;&amp;&gt;b", html, StringComparison.Ordinal);
        var document = ParseXml(html);
        Assert.Equal("x < y & z", Elements(document, "h1").Single().Value);
        Assert.Contains(Elements(document, "pre"), pre => pre.Value.Contains("\"a<&>b\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Config_is_shown_collapsed_and_a_missing_one_says_none()
    {
        using var folder = new TestData.TempFolder();
        string withConfig = ReportRuns.WriteRun(folder.Path, "with", ReportRuns.Result("s", ["replay"], 1));
        string without = ReportRuns.WriteRun(folder.Path, "without", ReportRuns.Result("s", ["replay"], 2));
        File.Delete(Path.Combine(without, "config.json"));

        var document = ParseXml(HtmlReport.Write(ReportRuns.Load(withConfig, without)));

        var details = Elements(document, "details").Single();
        Assert.Null(details.Attribute("open"));
        Assert.Contains("\"lr\": 0.01", details.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_stream_is_drawn_as_block_means_every_kth_task_and_lines_without_markers()
    {
        using var folder = new TestData.TempFolder();
        const int tasks = 120;
        var runs = ReportRuns.Load(ReportRuns.WriteRun(folder.Path, "long", ReportRuns.Result("s", ["finetune"], 1, tasks: tasks)));

        string html = HtmlReport.Write(runs);
        var document = ParseXml(html);

        // 120 tasks at most 25 cells a side: blocks of 5 × 5, so 24 × 24 cells (each with a tooltip).
        var heatmap = Elements(document, "svg", "heatmap").Single();
        Assert.Equal(24 * 24, heatmap.Descendants().Count(e => e.Name.LocalName == "rect" && e.Elements().Any(c => c.Name.LocalName == "title")));
        Assert.Contains("means of 5 × 5 blocks", heatmap.Value, StringComparison.Ordinal);
        // Block (rows 1–5, columns 1–5) at seed 1: R[i][j] = 0.89 − 0.1·(i − j) on and below the diagonal, 0.1 above:
        // (5·0.89 + 4·0.79 + 3·0.69 + 2·0.59 + 0.49 + 10·0.1) / 25 = 12.35 / 25.
        Assert.Contains("rows 1–5, columns 1–5: 0.494", html, StringComparison.Ordinal);
        Assert.Contains("rows 116–120, columns 116–120: 0.494", html, StringComparison.Ordinal);

        // Every 11th task and the last: tasks 1, 12, ..., 111, 120 (12 lines).
        var overTime = Elements(document, "svg", "chart").Single(svg => svg.Value.Contains("Accuracy on every 11th task", StringComparison.Ordinal));
        Assert.Equal(ReportCharts.MaxTaskLines, overTime.Descendants().Count(e => e.Name.LocalName == "polyline") - 1);   // minus the axes
        Assert.Contains("task 120", overTime.Value, StringComparison.Ordinal);
        // Online accuracy has 120 points: a line, no markers.
        var online = Elements(document, "svg", "chart").Single(svg => svg.Value.Contains("Online accuracy per task", StringComparison.Ordinal));
        Assert.DoesNotContain(online.Descendants(), e => e.Name.LocalName == "circle");
        Assert.True(html.Length < 400_000, $"the report of one 120-task run is {html.Length} characters");
    }

    [Fact]
    public void Block_means_skip_null_and_non_finite_cells_and_keep_partial_blocks()
    {
        IReadOnlyList<IReadOnlyList<double?>> values =
        [
            [1.0, 3.0, 5.0],
            [null, double.NaN, 7.0],
            [2.0],
        ];
        var means = Heatmap.BlockMeans(values, block: 2, columns: 3);
        Assert.Equal(2, means.Count);
        Assert.Equal([2.0, 6.0], means[0]);           // (1 + 3) / 2 over the finite cells; (5 + 7) / 2
        Assert.Equal([2.0, null], means[1]);          // the short last row: one cell, and nothing in the second block
    }
}
