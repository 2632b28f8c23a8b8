using System.Text;

namespace Lifelong.Reports;

/// <summary>The report's summary table (one row per group: scenario, methods, seeds, T, the summary metrics as mean ± std
/// over seeds, wall seconds) as Markdown and as LaTeX, for a paper or a README.</summary>
public static class SummaryTable
{
    private static readonly string[] s_latexHeaders = ["ACC", "avg.\\ inc.\\ ACC", "BWT", "FWT", "forgetting", "online acc."];

    /// <summary>A GitHub-flavoured Markdown table, groups in <paramref name="groups"/>' order.</summary>
    public static string Markdown(IReadOnlyList<RunGroup> groups)
    {
        var text = new StringBuilder();
        text.Append("| scenario | methods | seeds | T | ").AppendJoin(" | ", HtmlReport.s_metrics.Select(m => m.Header)).Append(" | wall seconds |\n");
        text.Append("|---|---|---|---:|").Append(string.Concat(HtmlReport.s_metrics.Select(_ => "---:|"))).Append("---:|\n");
        foreach (var group in groups)
        {
            var cells = Row(group, (mean, std) => std is { } s ? $"{mean} ± {s}" : mean);
            text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        }
        return text.ToString();
    }

    /// <summary>A LaTeX <c>tabular</c> with booktabs rules (<c>\usepackage{booktabs}</c>), text escaped, groups in order.</summary>
    public static string Latex(IReadOnlyList<RunGroup> groups)
    {
        var text = new StringBuilder();
        text.Append("% Written by lifelong report --figures; needs \\usepackage{booktabs}. Values: mean $\\pm$ std over seeds.\n");
        text.Append("\\begin{tabular}{llrr").Append('r', HtmlReport.s_metrics.Length + 1).Append("}\n\\toprule\n");
        text.Append("scenario & methods & seeds & $T$ & ").AppendJoin(" & ", s_latexHeaders).Append(" & wall (s) \\\\\n\\midrule\n");
        foreach (var group in groups)
        {
            var cells = Row(group, (mean, std) => std is { } s ? $"${mean} \\pm {s}$" : $"${mean}$", Escape);
            text.AppendJoin(" & ", cells).Append(" \\\\\n");
        }
        text.Append("\\bottomrule\n\\end{tabular}\n");
        return text.ToString();
    }

    /// <summary>The text of a LaTeX document with its special characters escaped.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + c,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static List<string> Row(RunGroup group, Func<string, string?, string> value, Func<string, string>? escape = null)
    {
        escape ??= s => s;
        string methods = group.Methods.Count == 0 ? "(no method)" : string.Join(" + ", group.Methods);
        if (group.Distinction.Length > 0) methods += $" ({group.Distinction})";
        var cells = new List<string> { escape(group.Scenario), escape(methods), string.Join(", ", group.Seeds), group.Tasks.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (_, metric) in HtmlReport.s_metrics) cells.Add(Stat(group.Stat(metric), 3, value));
        cells.Add(Stat(group.Stat(r => r.WallSeconds), 1, value));
        return cells;
    }

    private static string Stat(MeanStd stat, int decimals, Func<string, string?, string> value) => stat.Count switch
    {
        0 => "n/a",
        1 => value(Markup.Fixed(stat.Mean, decimals), null),
        _ => value(Markup.Fixed(stat.Mean, decimals), Markup.Fixed(stat.Std, decimals)),
    };
}
