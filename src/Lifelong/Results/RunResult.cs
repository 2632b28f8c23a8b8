using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lifelong.Results;

/// <summary>Everything a finished run measured; written to <c>result.json</c> with snake_case keys.</summary>
/// <param name="Scenario">The scenario's command-line name.</param>
/// <param name="Methods">The composed methods' names, in order (<c>["l2init", "replay"]</c>).</param>
/// <param name="Seed">The root seed.</param>
/// <param name="Tasks">Number of tasks T.</param>
/// <param name="AccuracyMatrix">T × T; element [i][j] is the test accuracy on task j after training through task i, a fraction in [0, 1];
/// null where the evaluation schedule skipped it (see <paramref name="Evaluation"/>).</param>
/// <param name="RandomInitAccuracy">Per task, the test accuracy of the freshly initialised model (the b̄ of GEM's FWT).</param>
/// <param name="OnlineAccuracy">Per task, the mean over its steps of the pre-update accuracy on the incoming batch.</param>
/// <param name="Summary">The scalar metrics.</param>
/// <param name="Probes">One entry per task, measured after training on it.</param>
/// <param name="WallSeconds">Wall-clock seconds of the whole run (summed over resumed pieces).</param>
/// <param name="Evaluation">Which evaluation schedule produced the matrix.</param>
public sealed record RunResult(
    string Scenario,
    IReadOnlyList<string> Methods,
    ulong Seed,
    int Tasks,
    IReadOnlyList<IReadOnlyList<double?>> AccuracyMatrix,
    IReadOnlyList<double> RandomInitAccuracy,
    IReadOnlyList<double> OnlineAccuracy,
    RunSummary Summary,
    IReadOnlyList<TaskProbe> Probes,
    double WallSeconds,
    EvaluationSchedule Evaluation)
{
    /// <summary>R[i][j] as AUROC instead of accuracy (mean one-vs-rest over the task's classes), when the evaluation
    /// measured it (<c>auroc: true</c>); absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<double?>>? AurocMatrix { get; init; }

    /// <summary>The code, runtime, machine and data that produced the result; absent in results written before it was recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RunProvenance? Provenance { get; init; }

    /// <summary>The JSON conventions of every file Lifelong writes: snake_case keys, indented, NaN and infinities as strings.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Serialises to <c>result.json</c>'s text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a <c>result.json</c> file; throws <see cref="InvalidDataException"/> naming the file when it is not one.</summary>
    public static RunResult Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the file holds JSON null, not a run result.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a Lifelong result.json ({e.Message}).", e);
        }
    }
}

/// <summary>The scalar metrics of a run (definitions in docs/metrics.md).</summary>
/// <param name="Acc">ACC = (1/T) Σⱼ R[T−1][j]: mean final accuracy over all tasks.</param>
/// <param name="AvgIncrementalAcc">(1/T) Σᵢ (1/(i+1)) Σ_{j≤i} R[i][j] over the rows that were fully evaluated.</param>
/// <param name="Bwt">BWT = (1/(T−1)) Σ_{j&lt;T−1} (R[T−1][j] − R[j][j]) (GEM); negative means forgetting.</param>
/// <param name="Fwt">FWT = (1/(T−1)) Σ_{j≥1} (R[j−1][j] − b̄ⱼ) (GEM), b̄ the random-init accuracy.</param>
/// <param name="Forgetting">(1/(T−1)) Σ_{j&lt;T−1} max_{l&lt;T−1} (R[l][j] − R[T−1][j]) (Chaudhry et al. 2018).</param>
/// <param name="TotalOnlineAccuracy">Mean online accuracy over every step of the run.</param>
public sealed record RunSummary(double Acc, double AvgIncrementalAcc, double Bwt, double Fwt, double Forgetting, double TotalOnlineAccuracy);

/// <summary>Probes measured after training on task <paramref name="Task"/>.</summary>
/// <param name="Task">The task just trained.</param>
/// <param name="Layers">One entry per hidden layer, input side first.</param>
/// <param name="WeightMagnitude">Mean |θ| over all parameters.</param>
/// <param name="DistanceFromInit">‖θ − θ₀‖₂ over all parameters.</param>
/// <param name="Method">Measurements the methods report after the task (<see cref="Training.ContinualMethod.Diagnostics"/>), by
/// name (SoTU's <c>collision_rate</c>); absent when no method reports any.</param>
public sealed record TaskProbe(int Task, IReadOnlyList<LayerProbe> Layers, double WeightMagnitude, double DistanceFromInit,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Method = null);

/// <summary>Representation statistics of one hidden layer on the probe data.</summary>
/// <param name="Name">The layer's name (<c>fc1</c>).</param>
/// <param name="DeadFraction">Fraction of units that output exactly zero for every probe input.</param>
/// <param name="DormantFraction">Fraction of units whose ReDo score s = mean|h| / mean over units of mean|h| is ≤ τ.</param>
/// <param name="Srank">The smallest k with Σ_{i≤k} σᵢ / Σ σ ≥ 1 − δ (Kumar et al. 2021; δ = 0.01).</param>
/// <param name="EffectiveRank">exp(−Σ pᵢ ln pᵢ), pᵢ = σᵢ / Σ σ (Roy &amp; Vetterli 2007).</param>
public sealed record LayerProbe(string Name, double DeadFraction, double DormantFraction, int Srank, double EffectiveRank);

/// <summary>How the accuracy matrix was filled.</summary>
/// <param name="Every">A full row every this many tasks (and after the last); 1 evaluates every row in full.
/// Rows in between hold only R[i][i] and R[i][i+1] (what BWT and FWT need); the rest is null.</param>
/// <param name="TestSubset">Test images per task used for evaluation; null for the whole test set.</param>
public sealed record EvaluationSchedule(int Every = 1, int? TestSubset = null);
