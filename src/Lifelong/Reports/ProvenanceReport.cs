using System.Text;
using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>The report's view of provenance: a table of where each run came from, and warnings when the runs it puts
/// side by side came from different code or different machines.</summary>
public static class ProvenanceReport
{
    /// <summary>What a reader should know before comparing <paramref name="runs"/>: one sentence per problem, none when the
    /// runs share one code version and one CPU (or only one run records provenance).</summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<ReportRun> runs)
    {
        var warnings = new List<string>();
        var recorded = runs.Where(r => r.Result.Provenance is not null).ToList();
        int missing = runs.Count - recorded.Count;
        if (missing > 0 && recorded.Count > 0)
            warnings.Add($"{missing} of {runs.Count} runs record no provenance (written by an older Lifelong); their code version and machine are unknown.");

        var codes = Tally(recorded, p => p.CodeLabel);
        if (codes.Count > 1)
            warnings.Add($"the runs come from {codes.Count} code versions ({codes.Text}); a difference between them may be the code's, not the methods'.");
        var dirty = recorded.Count(r => r.Result.Provenance!.Dirty == true);
        if (dirty > 0)
            warnings.Add($"{dirty} run{(dirty == 1 ? " was" : "s were")} built from a working tree with uncommitted changes (+dirty): no commit reproduces {(dirty == 1 ? "it" : "them")} exactly.");

        var cpus = Tally(recorded, p => $"{p.Cpu} [{p.InstructionSet}, {p.Threads} thread{(p.Threads == 1 ? "" : "s")}]");
        if (cpus.Count > 1)
            warnings.Add($"the runs come from {cpus.Count} CPUs or engine paths ({cpus.Text}); wall times are not comparable between them.");
        return warnings;
    }

    /// <summary>The HTML of the warnings (nothing when there are none).</summary>
    public static string WarningsHtml(IReadOnlyList<ReportRun> runs)
    {
        var warnings = Warnings(runs);
        if (warnings.Count == 0) return "";
        var html = new StringBuilder("<div class=\"warning\">\n<strong>Before comparing:</strong>\n<ul>\n");
        foreach (string warning in warnings) html.Append($"<li>{Markup.Escape(warning)}</li>\n");
        return html.Append("</ul>\n</div>\n").ToString();
    }

    /// <summary>The provenance section: one row per run, in the groups' order.</summary>
    public static string SectionHtml(IReadOnlyList<RunGroup> groups)
    {
        var html = new StringBuilder("<h2>Provenance</h2>\n");
        html.Append("<p class=\"note\">The code each run was built from (commit; +dirty when the working tree had uncommitted changes), ");
        html.Append("the runtime and machine it ran on, the engine's vector path and thread count, and the SHA-256 of its data files.</p>\n");
        html.Append("<table>\n<thead><tr><th>directory</th><th>version</th><th>commit</th><th>runtime</th><th>os</th><th>cpu</th>");
        html.Append("<th>engine</th><th>datasets</th></tr></thead>\n<tbody>\n");
        foreach (var run in groups.SelectMany(g => g.Runs))
        {
            html.Append($"<tr><td><code>{Markup.Escape(run.Directory)}</code></td>");
            if (run.Result.Provenance is not { } p)
            {
                html.Append("<td colspan=\"7\">(not recorded)</td></tr>\n");
                continue;
            }
            string commit = p.Commit is null ? "(unknown)" : p.Commit + (p.Dirty == true ? " +dirty" : "");
            html.Append($"<td>{Markup.Escape(p.Version)}</td><td><code>{Markup.Escape(commit)}</code></td><td>{Markup.Escape(p.Runtime)}</td>");
            html.Append($"<td>{Markup.Escape(p.Os)} ({Markup.Escape(p.Architecture)})</td><td>{Markup.Escape(p.Cpu)}, {p.LogicalCores} logical cores</td>");
            html.Append($"<td>{Markup.Escape(p.InstructionSet)}, {p.Threads} thread{(p.Threads == 1 ? "" : "s")}</td><td>");
            foreach (var dataset in p.Datasets)
            {
                string files = string.Join("\n", dataset.Sha256.Select(f => $"{f.Key}  {f.Value}"));
                html.Append($"<details><summary>{Markup.Escape(dataset.Name)}{(dataset.Verified ? " (verified)" : " (user files)")}</summary><pre>{Markup.Escape(files)}</pre></details>");
            }
            html.Append("</td></tr>\n");
        }
        return html.Append("</tbody>\n</table>\n").ToString();
    }

    private static (int Count, string Text) Tally(IEnumerable<ReportRun> runs, Func<RunProvenance, string> key)
    {
        var counts = runs.GroupBy(r => key(r.Result.Provenance!)).Select(g => $"{g.Key}: {g.Count()} run{(g.Count() == 1 ? "" : "s")}").ToList();
        return (counts.Count, string.Join("; ", counts));
    }
}
