using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.TensorBoard;

namespace Lifelong.Experiments;

/// <summary>The run directory of an experiment of any kind (<c>meta</c>, <c>pretrain</c>, <c>transfer</c>, <c>distill</c>),
/// with the same files as a continual run's: <c>config.json</c>, <c>metrics.jsonl</c> streamed line by line, a TensorBoard
/// event file that follows it, <c>checkpoint.safetensors</c>, and <c>result.json</c> at the end.</summary>
/// <remarks>
/// A kind's loop reads <see cref="Resumed"/> (null on a fresh start) to continue where its last <see cref="Checkpoint"/>
/// stopped; <see cref="Resume"/> first cuts <c>metrics.jsonl</c> (and the event file) back to the length the checkpoint
/// recorded, so the lines after it are written once, exactly as an uninterrupted run writes them. Every kind's loop is a
/// pure function of its settings and seed, so a resumed run writes the same <c>result.json</c>, bit for bit, apart from
/// <c>wall_seconds</c> and <c>provenance</c>.
/// </remarks>
public sealed class ExperimentRun : IDisposable
{
    private readonly MetricsLog _log;
    private readonly TensorBoardLog _events;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _wallBefore;

    private ExperimentRun(RunDirectory directory, JsonObject config, ExperimentState? resumed)
    {
        (Directory, Config, Resumed) = (directory, config, resumed);
        long bytes = resumed?.Progress["metrics_bytes"]?.GetValue<long>() ?? 0;
        _wallBefore = resumed?.Progress["wall_seconds"]?.GetValue<double>() ?? 0;
        _log = new MetricsLog(directory.MetricsFile, truncateTo: bytes);
        _events = resumed is null ? TensorBoardLog.Create(directory.Path) : TensorBoardLog.Resume(directory.Path, _log.ReadLines());
        _log.LineWritten = _events.Add;
    }

    /// <summary>The files.</summary>
    public RunDirectory Directory { get; }

    /// <summary>The resolved settings, as <c>config.json</c> holds them (with <c>kind</c> and <c>provenance</c>).</summary>
    public JsonObject Config { get; }

    /// <summary>The state of the last checkpoint when resuming from one; null when the run starts from the beginning.</summary>
    public ExperimentState? Resumed { get; }

    /// <summary>Wall time of the run so far, over all its sessions.</summary>
    public double WallSeconds => _wallBefore + _clock.Elapsed.TotalSeconds;

    /// <summary>Starts a run of <paramref name="config"/> in <paramref name="path"/>: writes <c>config.json</c>.</summary>
    /// <exception cref="ConfigurationException">The directory already holds a run.</exception>
    public static ExperimentRun Start(string path, JsonObject config)
    {
        var directory = new RunDirectory(path);
        string kind = KindOf(config);
        if (directory.HoldsRun)
            throw new ConfigurationException($"{directory.Path} already holds a run; continue it with 'lifelong {CommandOf(kind)} --resume {path}' or choose another --out.");
        RunDirectory.WriteAtomically(directory.ConfigFile, config.ToJsonString(RunResult.JsonOptions) + "\n");
        return new ExperimentRun(directory, config, null);
    }

    /// <summary>The settings in <paramref name="path"/>'s <c>config.json</c>, which must be of kind <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidDataException">No <c>config.json</c>, or one of another kind.</exception>
    public static JsonObject ReadConfig(string path, string kind)
    {
        string file = new RunDirectory(path).ConfigFile;
        if (!File.Exists(file)) throw new InvalidDataException($"{file}: no such file; is {path} a 'lifelong {CommandOf(kind)}' run directory?");
        JsonObject? config;
        try { config = JsonNode.Parse(File.ReadAllText(file)) as JsonObject; }
        catch (JsonException e) { throw new InvalidDataException($"{file}: not valid JSON ({e.Message}).", e); }
        string? found = config?["kind"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        if (config is null || found != kind)
            throw new InvalidDataException($"{file}: the config of a '{found ?? "run"}' run, not of a '{kind}' run; resume it with 'lifelong {CommandOf(found ?? "run")} --resume {path}'.");
        return config;
    }

    /// <summary>Continues the run in <paramref name="path"/> with <paramref name="config"/> (its <c>config.json</c>): from its
    /// last checkpoint, or from the beginning when it stopped before the first.</summary>
    /// <exception cref="InvalidDataException">The checkpoint is damaged, or records other settings (<see cref="ExperimentCheckpoint.Load"/>).</exception>
    public static ExperimentRun Resume(string path, JsonObject config)
    {
        var directory = new RunDirectory(path);
        var state = File.Exists(directory.CheckpointFile) ? ExperimentCheckpoint.Load(directory.CheckpointFile, config) : null;
        return new ExperimentRun(directory, config, state);
    }

    /// <summary>Appends one line to <c>metrics.jsonl</c> (flushed) and its event to the TensorBoard file. The line should
    /// carry <c>event</c> and <c>total_steps</c> (the x of its points); its other numbers become scalars <c>EVENT/NAME</c>.</summary>
    public void Log(object record) => _log.Write(record);

    /// <summary>Saves <paramref name="state"/> (with the metrics length and wall time so far) as the run's checkpoint.</summary>
    public void Checkpoint(ExperimentState state)
    {
        state.Progress["metrics_bytes"] = _log.Length;
        state.Progress["wall_seconds"] = WallSeconds;
        ExperimentCheckpoint.Save(Directory.CheckpointFile, state, Config);
    }

    /// <summary>Writes <paramref name="result"/> as <c>result.json</c>, atomically.</summary>
    public void Finish(object result) =>
        RunDirectory.WriteAtomically(Directory.ResultFile, JsonSerializer.Serialize(result, result.GetType(), RunResult.JsonOptions) + "\n");

    /// <inheritdoc/>
    public void Dispose()
    {
        _log.Dispose();
        _events.Dispose();
    }

    /// <summary>The command that runs experiments of <paramref name="kind"/>: <c>meta few-shot</c> for <c>meta</c>, else the kind itself.</summary>
    public static string CommandOf(string kind) => kind == "meta" ? "meta few-shot" : kind;

    private static string KindOf(JsonObject config) =>
        config["kind"] is JsonValue value && value.TryGetValue(out string? kind) ? kind : throw new ArgumentException("an experiment config needs its 'kind'.", nameof(config));
}
