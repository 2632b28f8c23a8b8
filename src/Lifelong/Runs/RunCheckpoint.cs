using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>One file, <c>checkpoint.safetensors</c>, holding everything a run needs to continue: the model, θ₀, the
/// optimizer's state, each method's state, and (in the metadata, as JSON) the <see cref="RunProgress"/> and the run's
/// settings (<see cref="RecordedConfig"/>).</summary>
/// <remarks>
/// The file is written beside the old one and renamed over it, and rename is atomic: a run killed at any moment, even
/// by SIGKILL halfway through a write, leaves the previous checkpoint or the new one, never a torn file.
/// Tensor keys: <c>model.{name}</c>, <c>init.{name}</c>, <c>optimizer.{key}</c>, <c>method{i}.{key}</c>.
/// Metadata keys: <c>lifelong.progress</c>, <c>lifelong.optimizer</c>, <c>lifelong.methods</c>, <c>lifelong.config</c>
/// and <c>lifelong.config_sha256</c>, and the checksums of every tensor and of this metadata, <c>lifelong.checksums</c>.
/// <see cref="Load"/> trusts nothing it reads: it verifies the checksums, compares the recorded settings with the run's,
/// checks the progress against the stream and refuses non-finite weights, each with a message naming the file and what
/// to do, before anything is loaded into the learner.
/// </remarks>
public static class RunCheckpoint
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = "checkpoint.safetensors";

    private const string ProgressKey = "lifelong.progress";
    private const string OptimizerKey = "lifelong.optimizer";
    private const string MethodsKey = "lifelong.methods";
    private const string ConfigKey = "lifelong.config";
    private const string ConfigHashKey = "lifelong.config_sha256";
    private const string Restart = "Resume from an intact copy of the run directory if you have one, or start the run again";

    /// <summary>Writes the checkpoint of <paramref name="learner"/> and <paramref name="progress"/> atomically to <paramref name="path"/>;
    /// with <paramref name="config"/>, records its settings for <see cref="Load"/> to compare.</summary>
    public static void Save(string path, Learner learner, RunProgress progress, IReadOnlyDictionary<Parameter, Tensor> initial, RunConfig? config = null)
    {
        var state = LearnerState.Capture(learner, initial);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProgressKey] = JsonSerializer.Serialize(progress, RunResult.JsonOptions),
            [OptimizerKey] = state.Optimizer,
            [MethodsKey] = state.Methods,
        };
        if (config is not null)
        {
            metadata[ConfigKey] = RecordedConfig.Canonical(config);
            metadata[ConfigHashKey] = RecordedConfig.Hash(config);
        }
        LearnerState.WriteAtomically(path, state.Tensors, metadata);
    }

    /// <summary>Restores the model, θ₀, optimizer and methods of <paramref name="learner"/> from <paramref name="path"/>; returns the progress.</summary>
    /// <param name="path">The checkpoint.</param>
    /// <param name="learner">The learner to restore, built from the run's settings.</param>
    /// <param name="config">The run's settings now (its <c>config.json</c>); refused when they differ from those the
    /// checkpoint records, except <see cref="RecordedConfig.EditableKeys"/>. Null to skip the comparison.</param>
    /// <exception cref="InvalidDataException">The file is missing, damaged or edited (a checksum does not match), holds
    /// non-finite weights or impossible progress, or comes from a run with other settings, model or methods; nothing is
    /// loaded unless these checks pass.</exception>
    public static (RunProgress Progress, Dictionary<Parameter, Tensor> Initial) Load(string path, Learner learner, RunConfig? config = null)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no checkpoint; the run stopped before finishing its first task, so there is nothing to resume: start it again.");
        SafeTensorsFile file;
        try { file = SafeTensors.Load(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} The checkpoint is damaged, so the run cannot continue from it. {Restart}.", e); }
        if (!file.Checksummed && (file.Metadata.ContainsKey(ConfigKey) || file.Metadata.ContainsKey(ConfigHashKey)))
            throw new InvalidDataException($"{path}: the checkpoint records the run's settings but not its checksums, which this Lifelong always writes beside them: the file was damaged or edited. {Restart}.");
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: not a Lifelong run checkpoint (no '{key}').");

        if (config is not null && file.Metadata.TryGetValue(ConfigKey, out string? recorded)
            && file.Metadata.GetValueOrDefault(ConfigHashKey) != RecordedConfig.Hash(config) && RecordedConfig.Changes(recorded, config) is { Count: > 0 } changes)
            throw new InvalidDataException($"{path}: the run's settings (config.json) differ from those it was started with, so resuming would mix two configurations:\n"
                + string.Join("", changes.Select(c => $"  {c}\n"))
                + $"Put back the recorded values to resume, or start a new run with the new settings in another directory. Only {string.Join(" and ", RecordedConfig.EditableKeys)} may change on resume.");

        RunProgress progress;
        try { progress = JsonSerializer.Deserialize<RunProgress>(Meta(ProgressKey), RunResult.JsonOptions) ?? throw new JsonException("it is null"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: the progress record '{ProgressKey}' is not valid ({e.Message}). {Restart}.", e); }
        if (progress.Problem(learner.Scenario) is { } problem)
            throw new InvalidDataException($"{path}: the recorded progress is impossible for this run: {problem}. The checkpoint was edited or comes from another run. {Restart}.");
        try { file.RequireFinite(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} {Restart} (with a smaller learning rate if it diverged).", e); }

        try
        {
            return Restore(path, file, learner, progress);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException or FormatException or JsonException or InvalidCastException or IndexOutOfRangeException or NullReferenceException)
        {
            // A method reading state that another method (or another model) wrote fails in its own way; every one of them
            // means the same to the user: this checkpoint is not this run's.
            throw new InvalidDataException($"{path}: the checkpoint does not fit this run ({e.Message.ReplaceLineEndings(" ")}). It was written by a run with another model, optimizer or methods: resume with the settings it was written with, or start the run again.", e);
        }
    }

    /// <summary>Whether the checkpoint at <paramref name="path"/> was written by a Lifelong from before checkpoints recorded
    /// checksums and settings: it still resumes, but neither damage nor an edited <c>config.json</c> can be detected.
    /// False for a file that cannot be read (<see cref="Load"/> says what is wrong with it).</summary>
    public static bool PredatesChecksums(string path)
    {
        try
        {
            var metadata = SafeTensors.ReadMetadata(path);
            return metadata.ContainsKey(ProgressKey) && !metadata.ContainsKey(SafeTensorsFile.ChecksumsKey) && !metadata.ContainsKey(ConfigKey) && !metadata.ContainsKey(ConfigHashKey);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static (RunProgress Progress, Dictionary<Parameter, Tensor> Initial) Restore(string path, SafeTensorsFile file, Learner learner, RunProgress progress)
    {
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: not a Lifelong run checkpoint (no '{key}').");
        var initial = LearnerState.Restore(path, file.Tensors, Meta(OptimizerKey), Meta(MethodsKey), learner);
        return (progress, initial);
    }
}
