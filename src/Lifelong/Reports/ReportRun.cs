using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>One run directory as the report sees it: where it is, its <c>result.json</c>, and its <c>config.json</c> text if any.</summary>
/// <param name="Directory">The run directory, as given on the command line.</param>
/// <param name="Result">The parsed <c>result.json</c>.</param>
/// <param name="ConfigText">The raw <c>config.json</c> text; null when the file is absent.</param>
public sealed record ReportRun(string Directory, RunResult Result, string? ConfigText)
{
    /// <summary>Reads <c>DIR/result.json</c> and, if present, <c>DIR/config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The directory or result.json is missing, unreadable, or not a run result;
    /// the message names the path and says what is wrong.</exception>
    public static ReportRun Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new InvalidDataException($"{directory}: no such directory.");
        string resultPath = Path.Combine(directory, "result.json");
        if (!File.Exists(resultPath))
            throw new InvalidDataException($"{resultPath}: missing; a run directory holds result.json (and optionally config.json).");
        RunResult result;
        try
        {
            result = RunResult.Load(resultPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{resultPath}: cannot be read ({e.Message}).", e);
        }
        string configPath = Path.Combine(directory, "config.json");
        string? config = null;
        try
        {
            if (File.Exists(configPath)) config = File.ReadAllText(configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{configPath}: cannot be read ({e.Message}).", e);
        }
        return new ReportRun(directory, Validate(result, resultPath), config);
    }

    /// <summary>Checks the fields the report needs; a JSON object with missing keys deserialises to nulls rather than failing.
    /// Optional curves (online accuracy, probes, random-init accuracy) default to empty.</summary>
    internal static RunResult Validate(RunResult result, string path)
    {
        string? problem = result switch
        {
            { Scenario: null } => "the key 'scenario' is missing",
            { Methods: null } => "the key 'methods' is missing",
            { Summary: null } => "the key 'summary' is missing",
            { AccuracyMatrix: null } => "the key 'accuracy_matrix' is missing",
            { Tasks: < 1 } => $"'tasks' is {result.Tasks}; a run has at least one task",
            _ when result.AccuracyMatrix.Count != result.Tasks || result.AccuracyMatrix.Any(row => row is null || row.Count != result.Tasks) =>
                $"'accuracy_matrix' is not {result.Tasks} × {result.Tasks} ('tasks' is {result.Tasks})",
            _ => null,
        };
        if (problem is not null) throw new InvalidDataException($"{path}: not a usable run result: {problem}.");
        return result with
        {
            OnlineAccuracy = result.OnlineAccuracy ?? [],
            RandomInitAccuracy = result.RandomInitAccuracy ?? [],
            Probes = result.Probes?.Where(p => p is not null).Select(p => p with { Layers = p.Layers ?? [] }).ToList() ?? [],
            Evaluation = result.Evaluation ?? new EvaluationSchedule(),
        };
    }
}
