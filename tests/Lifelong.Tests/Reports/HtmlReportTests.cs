using System.Xml.Linq;
using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Tests.Reports;

public class HtmlReportTests
{
    private static RunResult Result(string scenario, string method, ulong seed, double shift, bool sparse = false)
    {
        double?[][] matrix =
        [
            [0.9 + shift, sparse ? null : 0.1, 0.1],
            [0.7 + shift, 0.8, 0.2],
            [0.6 + shift, 0.5, 0.9],
        ];
        LayerProbe[] layers = [new("fc1", 0.1, 0.2, 50, 40.5), new("fc2", 0.3, 0.4, 30, 20.5)];
        return new RunResult(scenario, [method], seed, 3, [.. matrix.Select(r => (IReadOnlyList<double?>)r)], [0.1, 0.1, 0.1], [0.8, 0.7 + shift, 0.6],
            new RunSummary(0.6 + shift, 0.7, -0.3, 0.1, 0.3, 0.7), [.. Enumerable.Range(0, 3).Select(t => new TaskProbe(t, layers, 0.05 + t * 0.01, t))], 1.5, new EvaluationSchedule());
    }

    private static string Config(ulong seed, string method) => $$"""{"scenario": "permuted-mnist:tasks=3", "methods": ["{{method}}"], "seed": {{seed}}, "out": "runs/{{method}}-{{seed}}"}""";

    [Fact]
    public void Runs_differing_only_by_seed_form_one_group_with_a_std_band()
    {
        ReportRun[] runs =
        [
            new("a", Result("permuted-mnist", "finetune", 0, 0.00), Config(0, "finetune")),
            new("b", Result("permuted-mnist", "finetune", 1, 0.05), Config(1, "finetune")),
            new("c", Result("permuted-mnist", "l2init", 0, 0.02, sparse: true), Config(0, "l2init")),
        ];
        var groups = RunGroup.Of(runs);
        Assert.Equal(["finetune", "l2init"], groups.Select(g => g.Label));
        Assert.Equal(2, groups[0].Runs.Count);
        var (mean, std) = groups[0].Stat(r => r.Summary.Acc);
        Assert.Equal(0.625, mean, 12);
        Assert.Equal(Math.Sqrt(2 * 0.025 * 0.025), std, 12);

        string html = HtmlReport.Render(runs);
        Assert.Equal(2, Count(html, "class=\"heatmap\""));          // one accuracy matrix per group
        Assert.Contains("class=\"band\"", html);                      // the two-seed group has a mean ± std band
        Assert.Contains("0.6250 ± 0.0354", html);
        Assert.Contains("fill=\"#eeeeee\"", html);                    // the skipped entry of the sparse run is grey
        // Every SVG is well-formed XML, and the page holds no script or external reference.
        foreach (string svg in Svgs(html)) XElement.Parse(svg);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_from_results_is_escaped()
    {
        string html = HtmlReport.Render([new ReportRun("<dir>", Result("odd<&>scenario", "finetune", 0, 0), null)]);
        Assert.Contains("odd&lt;&amp;&gt;scenario", html);
        Assert.DoesNotContain("odd<&>scenario", html);
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static IEnumerable<string> Svgs(string html)
    {
        int start = 0;
        while ((start = html.IndexOf("<svg", start, StringComparison.Ordinal)) >= 0)
        {
            int end = html.IndexOf("</svg>", start, StringComparison.Ordinal) + "</svg>".Length;
            yield return html[start..end];
            start = end;
        }
    }
}
