using System.Text.Json;
using System.Text.Json.Serialization;
using Lifelong.Results;

namespace Lifelong.Rl.Experiments;

/// <summary>One iteration as <c>metrics.jsonl</c> and the checkpoint record it.</summary>
/// <param name="Iteration">From 0.</param>
/// <param name="Visit">The level visit (task) it belongs to.</param>
/// <param name="Level">The level in force.</param>
/// <param name="EnvSteps">Environment steps of the run after it, all copies together.</param>
/// <param name="MeanReturn">Mean return of its episodes (C-CHAIN's <c>itr_mean_return</c>); null when none ended.</param>
/// <param name="Episodes">Returns of its episodes.</param>
/// <param name="Updates">Optimizer steps.</param>
/// <param name="Losses">Mean loss terms.</param>
public sealed record IterationRecord(int Iteration, int Visit, int Level, long EnvSteps, double? MeanReturn, IReadOnlyList<double> Episodes, int Updates, IReadOnlyDictionary<string, double> Losses);

/// <summary>What one level visit achieved.</summary>
/// <param name="Visit">Position in the schedule.</param>
/// <param name="Level">The level.</param>
/// <param name="FinalReturn">Mean return of the visit's last episodes (<see cref="RlOptions.LastEpisodes"/>).</param>
/// <param name="MeanReturn">Mean over the visit's iterations of the per-iteration mean return: the area under its return curve over its length.</param>
/// <param name="StepsToThreshold">Environment steps into the visit until the end of the first iteration whose mean return reached the threshold; null if none did.</param>
/// <param name="ReturnOnRevisit">For a level seen before: mean return of the visit's first iterations (<see cref="RlOptions.RevisitIterations"/>).</param>
/// <param name="Forgetting">For a level seen before: its previous visit's final return minus <paramref name="ReturnOnRevisit"/>.</param>
/// <param name="Episodes">Episodes in the visit.</param>
/// <param name="Curve">The per-iteration mean return over the visit (null where no episode ended).</param>
/// <param name="Probe">Plasticity probes at the end of the visit, on the latest observations.</param>
public sealed record LevelResult(int Visit, int Level, double? FinalReturn, double? MeanReturn, long? StepsToThreshold,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ReturnOnRevisit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Forgetting,
    int Episodes, IReadOnlyList<double?> Curve, TaskProbe Probe);

/// <summary><c>result.json</c> of an RL run.</summary>
/// <param name="Kind">Always <c>rl</c>.</param>
/// <param name="Config">The run's settings.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="EnvSteps">Environment steps, all copies together.</param>
/// <param name="AveragePerformance">Mean over all iterations of the per-iteration mean return (C-CHAIN's Table 1, "average performance", Eq. 1).</param>
/// <param name="Threshold">The threshold return of <see cref="LevelResult.StepsToThreshold"/>.</param>
/// <param name="Levels">One entry per visit.</param>
/// <param name="Provenance">The code and machine that finished the run.</param>
/// <param name="SecondsPerIteration">Wall time per iteration in the process that finished the run (after a resume: since it); not part of the results.</param>
public sealed record RlResult(string Kind, RlConfig Config, int Iterations, long EnvSteps, double? AveragePerformance, double Threshold,
    IReadOnlyList<LevelResult> Levels, RunProvenance? Provenance, double? SecondsPerIteration)
{
    /// <summary>result.json's text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RunResult.JsonOptions);

    /// <summary>Reads result.json.</summary>
    public static RlResult Load(string path) =>
        JsonSerializer.Deserialize<RlResult>(File.ReadAllText(path), RunResult.JsonOptions) ?? throw new InvalidDataException($"{path}: empty result.");

    /// <summary>Summarises visit <paramref name="visit"/> of level <paramref name="level"/> from the run's iterations so far.</summary>
    /// <param name="iterations">Every iteration of the run up to the end of this visit.</param>
    /// <param name="visit">The visit.</param> <param name="level">Its level.</param>
    /// <param name="previous">The same level's previous visit, if any.</param>
    /// <param name="options">Threshold and windows.</param>
    /// <param name="stepsPerIteration">Environment steps per iteration (all copies).</param>
    /// <param name="probe">The probes at its end.</param>
    public static LevelResult Summarise(IReadOnlyList<IterationRecord> iterations, int visit, int level, LevelResult? previous, RlOptions options, long stepsPerIteration, TaskProbe probe)
    {
        var own = iterations.Where(i => i.Visit == visit).OrderBy(i => i.Iteration).ToList();
        var episodes = own.SelectMany(i => i.Episodes).ToList();
        double? final = episodes.Count == 0 ? null : episodes.TakeLast(options.LastEpisodes).Average();
        var means = own.Where(i => i.MeanReturn is not null).Select(i => i.MeanReturn!.Value).ToList();
        double? mean = means.Count == 0 ? null : means.Average();
        int reached = own.FindIndex(i => i.MeanReturn >= options.ThresholdReturn);
        long? steps = reached < 0 ? null : (reached + 1) * stepsPerIteration;
        double? revisit = null, forgetting = null;
        if (previous is not null)
        {
            var first = own.Take(options.RevisitIterations).Where(i => i.MeanReturn is not null).Select(i => i.MeanReturn!.Value).ToList();
            revisit = first.Count == 0 ? null : first.Average();
            forgetting = previous.FinalReturn - revisit;
        }
        return new LevelResult(visit, level, final, mean, steps, revisit, forgetting, episodes.Count, [.. own.Select(i => i.MeanReturn)], probe);
    }

    /// <summary>The mean over iterations of the per-iteration mean return, iterations without an ended episode left out.</summary>
    public static double? Average(IEnumerable<IterationRecord> iterations)
    {
        var means = iterations.Where(i => i.MeanReturn is not null).Select(i => i.MeanReturn!.Value).ToList();
        return means.Count == 0 ? null : means.Average();
    }
}
