using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Cli.Commands;

/// <summary><c>lifelong report DIR [DIR ...] [--out FILE] [--title TEXT]</c>: a self-contained HTML page comparing runs.</summary>
public sealed class ReportCommand : ICommand
{
    private const string Usage = "usage: lifelong report RUN_DIR [RUN_DIR ...] [--out FILE] [--title TEXT]\n" +
        "Writes one HTML page (no external files) with the accuracy matrices, accuracy over time, online accuracy and probes;\n" +
        "runs that differ only by seed are shown as mean ± std. Default --out: RUN_DIR/report.html for one run, ./report.html for several.";

    /// <inheritdoc/>
    public string Name => "report";

    /// <inheritdoc/>
    public string Summary => "write an HTML report (SVG charts) of one or several runs";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            output.WriteLine(Usage);
            return ExitCode.Ok;
        }
        var directories = new List<string>();
        string? outFile = null, title = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Count: outFile = args[++i]; break;
                case "--title" when i + 1 < args.Count: title = args[++i]; break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    error.WriteLine($"lifelong report: unknown or incomplete option '{flag}'.\n{Usage}");
                    return ExitCode.Usage;
                default: directories.Add(args[i]); break;
            }
        }
        if (directories.Count == 0)
        {
            error.WriteLine(Usage);
            return ExitCode.Usage;
        }
        try
        {
            var runs = new List<ReportRun>();
            foreach (string directory in directories) runs.AddRange(Load(directory));
            outFile ??= directories.Count == 1 && runs.Count == 1 ? Path.Combine(directories[0], "report.html") : "report.html";
            File.WriteAllText(outFile, HtmlReport.Render(runs, title ?? (runs.Count == 1 ? $"{runs[0].Result.Scenario} · {string.Join(" + ", runs[0].Result.Methods)}" : "Lifelong report")));
            output.WriteLine($"report: {Path.GetFullPath(outFile)} ({runs.Count} run(s))");
            return ExitCode.Ok;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"lifelong report: {e.Message}");
            return ExitCode.Failure;
        }
    }

    /// <summary>The run in <paramref name="directory"/>, or the runs in its subdirectories (a <c>--compare</c> output).</summary>
    private static IEnumerable<ReportRun> Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new InvalidDataException($"{directory}: no such directory.");
        string result = Path.Combine(directory, "result.json");
        if (File.Exists(result)) return [Read(directory)];
        var children = Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, "result.json"))).Order(StringComparer.Ordinal).ToList();
        if (children.Count == 0)
            throw new InvalidDataException($"{result}: not found; the run has not finished (resume it with 'lifelong run --resume {directory}') or this is not a run directory.");
        return children.Select(Read);
    }

    private static ReportRun Read(string directory)
    {
        string config = Path.Combine(directory, "config.json");
        return new ReportRun(directory, RunResult.Load(Path.Combine(directory, "result.json")), File.Exists(config) ? File.ReadAllText(config) : null);
    }
}
