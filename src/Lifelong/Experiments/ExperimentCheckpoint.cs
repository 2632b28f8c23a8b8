using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Results;

namespace Lifelong.Experiments;

/// <summary>What an experiment needs to continue: its progress (a JSON object of the kind's own making) and the tensors of
/// its models and optimizers, by name.</summary>
/// <remarks>Models are stored under <c>PREFIX.NAME</c> (their state dicts, buffers included), optimizers under
/// <c>PREFIX.KEY</c> with their type and scalars in the progress object's <c>optimizers</c> entry.</remarks>
public sealed class ExperimentState
{
    /// <summary>A state with <paramref name="progress"/> and no tensors yet.</summary>
    public ExperimentState(JsonObject progress) => Progress = progress;

    /// <summary>The kind's progress: how far it got and every partial sum the rest depends on.</summary>
    public JsonObject Progress { get; }

    /// <summary>The tensors, by name.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="module"/>'s state dict under <paramref name="prefix"/>.</summary>
    public ExperimentState With(string prefix, Module module)
    {
        foreach (var (name, value) in module.StateDict()) Tensors[$"{prefix}.{name}"] = value;
        return this;
    }

    /// <summary>Adds <paramref name="parameters"/> under <paramref name="prefix"/> (state outside a module, e.g. Meta-SGD's step sizes).</summary>
    public ExperimentState With(string prefix, IReadOnlyDictionary<string, Parameter> parameters)
    {
        foreach (var (name, value) in parameters) Tensors[$"{prefix}.{name}"] = value;
        return this;
    }

    /// <summary>Adds <paramref name="optimizer"/>'s state under <paramref name="prefix"/>.</summary>
    public ExperimentState With(string prefix, Optimizer optimizer)
    {
        var state = optimizer.StateDict();
        foreach (var (key, value) in state.Tensors) Tensors[$"{prefix}.{key}"] = value;
        var optimizers = Progress["optimizers"] as JsonObject ?? [];
        optimizers[prefix] = new JsonObject { ["type"] = state.OptimizerType, ["scalars"] = JsonSerializer.SerializeToNode(state.Scalars) };
        Progress["optimizers"] = optimizers;
        return this;
    }

    /// <summary>Loads the module stored under <paramref name="prefix"/> into <paramref name="module"/>, strictly.</summary>
    /// <exception cref="InvalidDataException">The stored state does not fit the module.</exception>
    public void Restore(string prefix, Module module)
    {
        var load = module.LoadStateDict(Prefixed(prefix), strict: false);
        if (load.MissingKeys.Count > 0 || load.UnexpectedKeys.Count > 0)
            throw new InvalidDataException($"the checkpoint's '{prefix}' does not fit this run's model (missing: {string.Join(", ", load.MissingKeys)}; unexpected: {string.Join(", ", load.UnexpectedKeys)}).");
    }

    /// <summary>Copies the tensors stored under <paramref name="prefix"/> into <paramref name="parameters"/>.</summary>
    public void Restore(string prefix, IReadOnlyDictionary<string, Parameter> parameters)
    {
        var stored = Prefixed(prefix);
        foreach (var (name, parameter) in parameters)
        {
            if (!stored.TryGetValue(name, out var value) || value.Shape != parameter.Shape)
                throw new InvalidDataException($"the checkpoint has no '{prefix}.{name}' of shape {parameter.Shape}.");
            value.Span.CopyTo(parameter.Span);
        }
    }

    /// <summary>Loads the optimizer state stored under <paramref name="prefix"/> into <paramref name="optimizer"/>.</summary>
    public void Restore(string prefix, Optimizer optimizer)
    {
        var record = Progress["optimizers"]?[prefix] as JsonObject ?? throw new InvalidDataException($"the checkpoint holds no optimizer '{prefix}'.");
        var state = new OptimizerStateDict(record["type"]!.GetValue<string>());
        foreach (var (key, value) in Prefixed(prefix)) state.Tensors[key] = value;
        foreach (var (key, value) in record["scalars"]!.AsObject()) state.Scalars[key] = value!.GetValue<double>();
        optimizer.LoadStateDict(state);
    }

    private Dictionary<string, Tensor> Prefixed(string prefix) =>
        Tensors.Where(t => t.Key.StartsWith(prefix + ".", StringComparison.Ordinal)).ToDictionary(t => t.Key[(prefix.Length + 1)..], t => t.Value, StringComparer.Ordinal);
}

/// <summary><c>checkpoint.safetensors</c> of an experiment of any kind: its <see cref="ExperimentState"/>, with the run's
/// settings (<see cref="ExperimentSettings"/>) and the checksums every Lifelong checkpoint carries.</summary>
/// <remarks>Metadata keys: <c>lifelong.kind</c>, <c>lifelong.progress</c>, <c>lifelong.config</c>,
/// <c>lifelong.config_sha256</c> and <c>lifelong.checksums</c>. The file is written beside the old one and renamed over
/// it, so a SIGKILL at any moment leaves the previous checkpoint or the new one.</remarks>
public static class ExperimentCheckpoint
{
    private const string KindKey = "lifelong.kind";
    private const string ProgressKey = "lifelong.progress";
    private const string ConfigKey = "lifelong.config";
    private const string ConfigHashKey = "lifelong.config_sha256";
    private const string Restart = "Resume from an intact copy of the run directory if you have one, or start the run again";

    // Partial sums may be NaN (a diverging run still checkpoints), which plain JSON cannot hold.
    private static readonly JsonSerializerOptions s_compact = new(RunResult.JsonOptions) { WriteIndented = false };

    /// <summary>Writes <paramref name="state"/> of the run configured by <paramref name="config"/> to <paramref name="path"/>, atomically.</summary>
    public static void Save(string path, ExperimentState state, JsonObject config)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KindKey] = config["kind"]?.GetValue<string>() ?? "",
            [ProgressKey] = state.Progress.ToJsonString(s_compact),
            [ConfigKey] = ExperimentSettings.Canonical(config),
            [ConfigHashKey] = ExperimentSettings.Hash(config),
        };
        SafeTensors.Save(path, state.Tensors, metadata);
    }

    /// <summary>The state saved at <paramref name="path"/> by a run configured as <paramref name="config"/> is now.</summary>
    /// <exception cref="InvalidDataException">The file is damaged or edited (a checksum does not match), is not an
    /// experiment checkpoint of this kind, holds non-finite values, or was written under other settings (the message lists them).</exception>
    public static ExperimentState Load(string path, JsonObject config)
    {
        SafeTensorsFile file;
        try { file = SafeTensors.Load(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} The checkpoint is damaged, so the run cannot continue from it. {Restart}.", e); }
        if (!file.Checksummed) throw new InvalidDataException($"{path}: the checkpoint carries no checksums, which Lifelong always writes: the file was damaged or edited. {Restart}.");
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: not a Lifelong experiment checkpoint (no '{key}').");
        string kind = config["kind"]?.GetValue<string>() ?? "";
        if (Meta(KindKey) != kind) throw new InvalidDataException($"{path}: a checkpoint of a '{Meta(KindKey)}' run, not of this '{kind}' run. {Restart}.");
        if (Meta(ConfigHashKey) != ExperimentSettings.Hash(config) && ExperimentSettings.Changes(Meta(ConfigKey), config) is { Count: > 0 } changes)
            throw new InvalidDataException($"{path}: the run's settings (config.json) differ from those it was started with, so resuming would mix two configurations:\n"
                + string.Join("", changes.Select(c => $"  {c}\n"))
                + $"Put back the recorded values to resume, or start a new run with the new settings in another directory. Only {string.Join(" and ", Runs.RecordedConfig.EditableKeys)} may change on resume.");
        try { file.RequireFinite(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} {Restart}.", e); }
        JsonObject progress;
        try { progress = JsonNode.Parse(Meta(ProgressKey)) as JsonObject ?? throw new JsonException("not an object"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: the progress record '{ProgressKey}' is not valid ({e.Message}). {Restart}.", e); }
        var state = new ExperimentState(progress);
        foreach (var (name, value) in file.Tensors) state.Tensors[name] = value;
        return state;
    }

    /// <summary>Reads a typed value of a progress object (written with <see cref="RunResult.JsonOptions"/>).</summary>
    public static T Read<T>(JsonObject progress, string key) =>
        progress.TryGetPropertyValue(key, out var node) ? (node is null ? default! : node.Deserialize<T>(RunResult.JsonOptions)!)
            : throw new InvalidDataException($"the checkpoint's progress has no '{key}'.");
}
