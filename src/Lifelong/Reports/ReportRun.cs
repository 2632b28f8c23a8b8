using Lifelong.Results;

namespace Lifelong.Reports;

/// <summary>One run directory as the report sees it: where it is, its <c>result.json</c>, and its <c>config.json</c> text if any.</summary>
/// <param name="Directory">The run directory, as given on the command line.</param>
/// <param name="Result">The parsed <c>result.json</c>.</param>
/// <param name="ConfigText">The raw <c>config.json</c> text; null when the file is absent.</param>
public sealed record ReportRun(string Directory, RunResult Result, string? ConfigText)
{
    /// <summary>The training loss logged in <c>metrics.jsonl</c> (window means, by total step); empty without the file.</summary>
    public IReadOnlyList<LossPoint> TrainingLoss { get; init; } = [];

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
        return new ReportRun(directory, Validate(result, resultPath), config) { TrainingLoss = ReadLoss(Path.Combine(directory, "metrics.jsonl")) };
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

    /// <summary>The <c>step</c> lines of a <c>metrics.jsonl</c> file; a line that does not parse (a crash cut it) is skipped.</summary>
    internal static IReadOnlyList<LossPoint> ReadLoss(string path)
    {
        if (!File.Exists(path)) return [];
        var points = new List<LossPoint>();
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                try
                {
                    using var document = System.Text.Json.JsonDocument.Parse(line);
                    var root = document.RootElement;
                    if (root.ValueKind == System.Text.Json.JsonValueKind.Object && root.TryGetProperty("event", out var e) && e.ValueEquals("step")
                        && root.TryGetProperty("total_steps", out var step) && step.TryGetInt64(out long total)
                        && root.TryGetProperty("loss", out var loss) && loss.ValueKind == System.Text.Json.JsonValueKind.Number)
                        points.Add(new LossPoint(total, loss.GetDouble()));
                }
                catch (System.Text.Json.JsonException)
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message}).", e);
        }
        return points;
    }
}

/// <summary>One point of a training-loss curve.</summary>
/// <param name="Step">Training steps done in the whole run.</param>
/// <param name="Loss">The mean loss over the logging window that ends there.</param>
public readonly record struct LossPoint(long Step, double Loss);
