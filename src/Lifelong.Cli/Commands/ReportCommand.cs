using Lifelong.Reports;
using Lifelong.Sweeps;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong report DIR [DIR ...] [--out FILE] [--title TEXT]</c>: one self-contained HTML page with charts for the runs.</summary>
public sealed class ReportCommand : ICommand
{
    private const string UsageText = """
        usage: lifelong report DIR [DIR ...] [--out FILE] [--title TEXT]

        Writes one HTML page (no scripts or external files) for the runs in the given directories, each holding
        result.json and optionally config.json (or holding such runs: a comparison, a sweep directory). Runs whose
        configs differ only by seed are shown as mean ± std; the page says which settings differ between groups.
          --out FILE     where to write (default: DIR/report.html for one run, ./report.html for several)
          --title TEXT   the page heading
        """;

    /// <inheritdoc/>
    public string Name => "report";

    /// <inheritdoc/>
    public string Summary => "write an HTML page with charts for one or several runs (report DIR [DIR ...] [--out FILE] [--title TEXT])";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Any(a => a is "--help" or "-h") || args is ["help"])
        {
            output.WriteLine(UsageText);
            return ExitCode.Ok;
        }
        var directories = new List<string>();
        string? outPath = null, title = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" or "--title" when i + 1 >= args.Count:
                    return Usage(error, $"{args[i]} needs a value");
                case "--out":
                    outPath = args[++i];
                    break;
                case "--title":
                    title = args[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Usage(error, $"unknown option '{option}'");
                default:
                    directories.Add(args[i]);
                    break;
            }
        }
        if (directories.Count == 0) return Usage(error, "no run directory given");

        try
        {
            var runs = directories.SelectMany(RunDirectories).Select(ReportRun.Load).ToList();
            string html = HtmlReport.Write(runs, title);
            outPath ??= directories.Count == 1 ? Path.Combine(directories[0], "report.html") : "report.html";
            string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (folder is not null) Directory.CreateDirectory(folder);
            File.WriteAllText(outPath, html);
            var groups = RunGroup.Form(runs);
            output.WriteLine($"wrote {outPath} ({runs.Count} run{(runs.Count == 1 ? "" : "s")} in {groups.Count} group{(groups.Count == 1 ? "" : "s")})");
            if (RunGroup.DifferingSettings(groups) is { Count: > 0 } differing) output.WriteLine($"the groups differ in: {string.Join(", ", differing)}");
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"lifelong report: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <summary>The directory itself when it holds a result, else its subdirectories that do (the output of <c>run --compare</c>),
    /// or, for a sweep directory (<c>sweep.json</c>), every finished run under its <c>runs/</c>.</summary>
    private static IEnumerable<string> RunDirectories(string directory)
    {
        if (File.Exists(Path.Combine(directory, "result.json")) || !Directory.Exists(directory)) return [directory];
        if (File.Exists(SweepPlan.PathIn(directory)))
            return SweepPlan.Load(directory).Runs.Select(r => SweepPlan.RunDirectoryOf(directory, r)).Where(d => File.Exists(Path.Combine(d, "result.json")));
        var children = Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, "result.json"))).Order(StringComparer.Ordinal).ToList();
        return children.Count > 0 ? children : [directory];
    }

    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine($"lifelong report: {problem}.\n{UsageText}");
        return ExitCode.Usage;
    }
}
