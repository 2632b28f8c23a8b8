using System.Text;

namespace Lifelong.Reports.Kinds;

/// <summary>The section of the report page for the runs of one experiment kind.</summary>
public interface IKindReport
{
    /// <summary>The <c>kind</c> of the results it draws.</summary>
    string Kind { get; }

    /// <summary>Appends the kind's section (a heading, charts, a table) for <paramref name="runs"/> (all of this kind) to <paramref name="html"/>.</summary>
    void Append(StringBuilder html, IReadOnlyList<ExperimentReportRun> runs);
}

/// <summary>The kinds the report draws besides continual runs, one class each; a new kind plugs in with one entry.</summary>
public static class KindReports
{
    /// <summary>Every kind's section, in the order the page shows them.</summary>
    public static IReadOnlyList<IKindReport> All { get; } = [new MetaReport(), new PretrainReport(), new TransferReport(), new DistillReport(), new RlReport()];

    /// <summary>The HTML of every kind's section for <paramref name="runs"/>, in <see cref="All"/>'s order.</summary>
    public static string Sections(IReadOnlyList<ExperimentReportRun> runs)
    {
        var html = new StringBuilder();
        foreach (var kind in All)
        {
            var ofKind = runs.Where(r => r.Kind == kind.Kind).ToList();
            if (ofKind.Count > 0) kind.Append(html, ofKind);
        }
        return html.ToString();
    }

    /// <summary>A table cell of a number.</summary>
    internal static string Cell(string text) => $"<td class=\"num\">{Markup.Escape(text)}</td>";

    /// <summary>The runs of <paramref name="group"/> with their directories and configs, folded.</summary>
    internal static void AppendRuns(StringBuilder html, ExperimentGroup group)
    {
        html.Append("<details><summary>runs and settings</summary><ul>\n");
        foreach (var run in group.Runs)
            html.Append($"<li><code>{Markup.Escape(run.Directory)}</code>{(run.ConfigText is null ? "" : $"<pre>{Markup.Escape(run.ConfigText.TrimEnd())}</pre>")}</li>\n");
        html.Append("</ul></details>\n");
    }

    /// <summary>A swatch of the group's colour.</summary>
    internal static string Swatch(ExperimentGroup group) => $"<span class=\"swatch\" style=\"background: {group.Colour}\"></span>";
}
