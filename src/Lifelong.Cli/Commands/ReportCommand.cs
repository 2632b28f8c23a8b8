using Lifelong.Catalog;
using Lifelong.Reports;
using Lifelong.Reports.Figures;
using Lifelong.Reports.Kinds;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong report DIR [DIR ...] [--out FILE] [--title TEXT] [--figures DIR]</c>: one self-contained HTML page with charts
/// for the runs, and with <c>--figures</c> each chart as SVG and PNG files and the summary table as Markdown and LaTeX.</summary>
public sealed class ReportCommand : ICommand
{
    private const string UsageText = """
        usage: lifelong report DIR [DIR ...] [--out FILE] [--title TEXT] [--figures DIR]

        Writes one HTML page (no scripts or external files) for the runs in the given directories, each holding
        result.json and optionally config.json (or holding such runs: a comparison, a sweep directory). Runs whose
        configs differ only by seed are shown as mean ± std; the page says which settings differ between groups. Groups
        appear in the order the directories are given (a comparison's runs in the order it ran them, a sweep's in its plan's).
          --out FILE       where to write (default: DIR/report.html for one run, ./report.html for several)
          --title TEXT     the page heading
          --figures DIR    also write each chart as SVG and PNG (6.5 × 4 in, PNG at 300 dpi) and the summary table
                           as summary.md and summary.tex into DIR, for a paper
        """;

    /// <inheritdoc/>
    public string Name => "report";

    /// <inheritdoc/>
    public string Summary => "write an HTML page with charts for one or several runs (report DIR [DIR ...] [--out FILE] [--title TEXT] [--figures DIR])";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h") || args is ["help"])
        {
            output.WriteLine(UsageText);
            return ExitCode.Ok;
        }
        var directories = new List<string>();
        string? outPath = null, title = null, figures = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" or "--title" or "--figures" when i + 1 >= args.Count:
                    return Usage(error, $"{args[i]} needs a value");
                case "--out":
                    outPath = args[++i];
                    break;
                case "--title":
                    title = args[++i];
                    break;
                case "--figures":
                    figures = args[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Usage(error, $"unknown option '{option}'.{Lifelong.Catalog.Spelling.Suggest(option, ["--out", "--title"])}");
                default:
                    directories.Add(args[i]);
                    break;
            }
        }
        if (directories.Count == 0) return Usage(error, "no run directory given");

        try
        {
            var all = directories.SelectMany(RunDirectories).ToList();
            var experiments = all.Where(d => ExperimentReportRun.KindOf(d) is not null).Select(ExperimentReportRun.Load).ToList();
            var runs = all.Where(d => ExperimentReportRun.KindOf(d) is null).Select(ReportRun.Load).ToList();
            foreach (var run in runs)
                if (ConfigProblem(run.ConfigText) is { } problem)
                    error.WriteLine($"lifelong report: warning: {Path.Combine(run.Directory, "config.json")} {problem}; the page shows the run without its settings, and does not group it with runs that differ only by seed.");
            string html = HtmlReport.Write(runs, experiments, title);
            outPath ??= directories.Count == 1 ? Path.Combine(directories[0], "report.html") : "report.html";
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (folder is not null) Directory.CreateDirectory(folder);
            File.WriteAllText(outPath, html);
            foreach (string warning in ProvenanceReport.Warnings(runs)) error.WriteLine($"lifelong report: warning: {warning}");
            var groups = RunGroup.Form(runs);
            if (runs.Count > 0) output.WriteLine($"wrote {outPath} ({runs.Count} run{(runs.Count == 1 ? "" : "s")} in {groups.Count} group{(groups.Count == 1 ? "" : "s")})");
            foreach (var kind in experiments.GroupBy(r => r.Kind))
                output.WriteLine($"wrote {outPath} ({kind.Count()} {kind.Key} run{(kind.Count() == 1 ? "" : "s")})");
            if (RunGroup.DifferingSettings(groups) is { Count: > 0 } differing) output.WriteLine($"the groups differ in: {string.Join(", ", differing)}");
            if (figures is not null && runs.Count > 0)
            {
                IReadOnlyList<string> files;
                try { files = ReportFigures.Write(runs, figures); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new IOException($"--figures {figures}: the figures cannot be written there ({ConfigurationException.Plain(e)}); choose a directory you can write to.", e);
                }
                output.WriteLine($"wrote {files.Count} figure and table files to {figures}");
            }
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"lifelong report: {ConfigurationException.Plain(e)}");
            return ExitCode.Failure;
        }
    }

    /// <summary>The directory itself when it holds a result, else its subdirectories that do (the output of <c>run --compare</c>),
    /// in the order the runs were made: a comparison's variants in the order of its <c>compare.json</c>, the rest by the time
    /// their <c>config.json</c> was written (a run writes it when it starts), then by name; for a sweep directory
    /// (<c>sweep.json</c>), every finished run under its <c>runs/</c> in the order of its plan.</summary>
    internal static IEnumerable<string> RunDirectories(string directory)
    {
        if (File.Exists(Path.Combine(directory, "result.json")) || !Directory.Exists(directory)) return [directory];
        if (File.Exists(SweepPlan.PathIn(directory)))
            return SweepPlan.Load(directory).Runs.Select(r => SweepPlan.RunDirectoryOf(directory, r)).Where(d => File.Exists(Path.Combine(d, "result.json")));
        var children = Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, "result.json"))).ToList();
        if (children.Count == 0) return [directory];
        var compareOrder = CompareOrder(directory);
        return children
            .OrderBy(d => compareOrder.IndexOf(Path.GetFileName(d)) is int i and >= 0 ? i : int.MaxValue)
            .ThenBy(d => File.Exists(Path.Combine(d, "config.json")) ? File.GetLastWriteTimeUtc(Path.Combine(d, "config.json")) : DateTime.MaxValue)
            .ThenBy(d => d, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The variant directory names of the comparison rooted at <paramref name="directory"/>, in its entries' order; empty
    /// without a readable compare.json. A name is the entry's label, or its methods' names joined by '+' (with its settings'
    /// values after '@'), as <see cref="CompareVariant.Label"/> names it from the methods' spec names.</summary>
    private static List<string> CompareOrder(string directory)
    {
        if (!File.Exists(CompareManifest.PathIn(directory))) return [];
        try
        {
            return [.. CompareManifest.Load(directory).Entries.Select(CompareVariant.Parse)
                .Select(v => v.Label(v.Methods.Split('+').Select(m => m.Split(':')[0].Trim())))];
        }
        catch (Catalog.ConfigurationException)
        {
            return [];
        }
    }

    /// <summary>What is wrong with a run's <c>config.json</c> text, or null when it is absent or a JSON object.</summary>
    private static string? ConfigProblem(string? text)
    {
        if (text is null) return null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object ? null : "does not hold a JSON object";
        }
        catch (System.Text.Json.JsonException e)
        {
            return $"is not valid JSON ({e.Message})";
        }
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"lifelong report: {problem}.\n{UsageText}");
        return ExitCode.Usage;
    }
}
