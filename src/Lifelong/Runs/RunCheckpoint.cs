using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>One file, <c>checkpoint.safetensors</c>, holding everything a run needs to continue: the model, θ₀, the
/// optimizer's state, each method's state, and (in the metadata, as JSON) the <see cref="RunProgress"/>.</summary>
/// <remarks>
/// The file is written beside the old one and renamed over it, and rename is atomic: a run killed at any moment, even
/// by SIGKILL halfway through a write, leaves the previous checkpoint or the new one, never a torn file.
/// Tensor keys: <c>model.{name}</c>, <c>init.{name}</c>, <c>optimizer.{key}</c>, <c>method{i}.{key}</c>.
/// </remarks>
public static class RunCheckpoint
{
    /// <summary>The file name inside a run directory.</summary>
    public const string FileName = "checkpoint.safetensors";

    private const string ProgressKey = "lifelong.progress";
    private const string OptimizerKey = "lifelong.optimizer";
    private const string MethodsKey = "lifelong.methods";

    /// <summary>Writes the checkpoint of <paramref name="learner"/> and <paramref name="progress"/> atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, Learner learner, RunProgress progress, IReadOnlyDictionary<Parameter, Tensor> initial)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in learner.Network.StateDict()) tensors[$"model.{name}"] = value;
        foreach (var (name, parameter) in learner.Network.NamedParameters())
            if (initial.TryGetValue(parameter, out var p0)) tensors[$"init.{name}"] = p0;
        var optimizer = learner.Optimizer.StateDict();
        foreach (var (key, value) in optimizer.Tensors) tensors[$"optimizer.{key}"] = value;
        var methods = new JsonArray();
        for (int i = 0; i < learner.Methods.Count; i++)
        {
            var state = new MethodState();
            learner.Methods[i].SaveState(state, learner);
            foreach (var (key, value) in state.Tensors) tensors[$"method{i}.{key}"] = value;
            methods.Add(new JsonObject { ["name"] = learner.Methods[i].Name, ["values"] = state.Values });
        }
        var optimizerJson = new JsonObject { ["type"] = optimizer.OptimizerType, ["scalars"] = JsonSerializer.SerializeToNode(optimizer.Scalars) };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ProgressKey] = JsonSerializer.Serialize(progress, RunResult.JsonOptions),
            [OptimizerKey] = optimizerJson.ToJsonString(),
            [MethodsKey] = methods.ToJsonString(),
        };
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            SafeTensors.Write(stream, tensors, metadata);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores the model, θ₀, optimizer and methods of <paramref name="learner"/> from <paramref name="path"/>; returns the progress.</summary>
    /// <exception cref="InvalidDataException">The file is missing, corrupt, or from a run with another model or methods.</exception>
    public static (RunProgress Progress, Dictionary<Parameter, Tensor> Initial) Load(string path, Learner learner)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no checkpoint; the run stopped before finishing its first task, so there is nothing to resume: start it again.");
        SafeTensorsFile file;
        try { file = SafeTensors.Load(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{path}: unreadable checkpoint ({e.Message}).", e); }
        string Meta(string key) => file.Metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"{path}: not a Lifelong run checkpoint (no '{key}').");

        var progress = JsonSerializer.Deserialize<RunProgress>(Meta(ProgressKey), RunResult.JsonOptions) ?? throw new InvalidDataException($"{path}: empty progress record.");
        // Methods first: one may rebuild the network to the checkpoint's architecture (DEN) before the model is loaded into it.
        var methods = JsonNode.Parse(Meta(MethodsKey))!.AsArray();
        if (methods.Count != learner.Methods.Count || methods.Select((m, i) => m!["name"]!.GetValue<string>() != learner.Methods[i].Name).Any(x => x))
            throw new InvalidDataException($"{path}: the checkpoint was written by methods [{string.Join(", ", methods.Select(m => m!["name"]))}], this run has [{string.Join(", ", learner.Methods.Select(m => m.Name))}].");
        for (int i = 0; i < learner.Methods.Count; i++)
        {
            var state = new MethodState { Values = methods[i]!["values"]!.DeepClone().AsObject() };
            foreach (var (key, value) in Prefixed(file.Tensors, $"method{i}.")) state.Tensors[key] = value;
            learner.Methods[i].LoadState(state, learner);
        }
        var model = Prefixed(file.Tensors, "model.");
        var load = learner.Network.LoadStateDict(model, strict: false);
        if (load.MissingKeys.Count > 0 || load.UnexpectedKeys.Count > 0)
            throw new InvalidDataException($"{path}: the checkpoint's model does not match this run's (missing: {string.Join(", ", load.MissingKeys)}; unexpected: {string.Join(", ", load.UnexpectedKeys)}).");

        var initial = new Dictionary<Parameter, Tensor>();
        foreach (var (name, parameter) in learner.Network.NamedParameters())
            if (file.Tensors.TryGetValue($"init.{name}", out var p0)) initial[parameter] = p0;

        var optimizerJson = JsonNode.Parse(Meta(OptimizerKey))!.AsObject();
        var optimizer = new OptimizerStateDict(optimizerJson["type"]!.GetValue<string>());
        foreach (var (key, value) in Prefixed(file.Tensors, "optimizer.")) optimizer.Tensors[key] = value;
        foreach (var (key, value) in optimizerJson["scalars"]!.AsObject()) optimizer.Scalars[key] = value!.GetValue<double>();
        learner.Optimizer.LoadStateDict(optimizer);

        return (progress, initial);
    }

    private static Dictionary<string, Tensor> Prefixed(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value, StringComparer.Ordinal);
}
