using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>The part of a checkpoint that every learner-driven run (<see cref="RunCheckpoint"/>, the RL run's checkpoint)
/// writes and reads the same way: the network, θ₀, the optimizer's state and each method's state.</summary>
/// <remarks>Tensors are named <c>model.*</c>, <c>init.*</c>, <c>optimizer.*</c> and <c>method{i}.*</c>; the optimizer's type and
/// scalars and the methods' names and values travel as two JSON strings that the caller stores under its own metadata keys.</remarks>
public static class LearnerState
{
    /// <summary>A learner's state, ready for a safetensors file.</summary>
    /// <param name="Tensors">The named tensors (the caller may add its own before writing).</param>
    /// <param name="Optimizer">The optimizer's type and scalars, as JSON.</param>
    /// <param name="Methods">Each method's name and values, as a JSON array.</param>
    public sealed record Captured(Dictionary<string, Tensor> Tensors, string Optimizer, string Methods);

    /// <summary>Collects <paramref name="learner"/>'s state and the initial parameters <paramref name="initial"/>.</summary>
    public static Captured Capture(Learner learner, IReadOnlyDictionary<Parameter, Tensor> initial)
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
        return new Captured(tensors, optimizerJson.ToJsonString(), methods.ToJsonString());
    }

    /// <summary>Puts a captured state back into <paramref name="learner"/> and returns θ₀.</summary>
    /// <remarks>Methods first: one may rebuild the network to the checkpoint's architecture (DEN) before the model is loaded into it.</remarks>
    /// <exception cref="InvalidDataException">The checkpoint's methods or network are not this run's.</exception>
    public static Dictionary<Parameter, Tensor> Restore(string path, IReadOnlyDictionary<string, Tensor> tensors, string optimizerJson, string methodsJson, Learner learner)
    {
        var methods = JsonNode.Parse(methodsJson)!.AsArray();
        if (methods.Count != learner.Methods.Count || methods.Select((m, i) => m!["name"]!.GetValue<string>() != learner.Methods[i].Name).Any(x => x))
            throw new InvalidDataException($"{path}: the checkpoint was written by methods [{string.Join(", ", methods.Select(m => m!["name"]))}], this run has [{string.Join(", ", learner.Methods.Select(m => m.Name))}].");
        for (int i = 0; i < learner.Methods.Count; i++)
        {
            var state = new MethodState { Values = methods[i]!["values"]!.DeepClone().AsObject() };
            foreach (var (key, value) in Prefixed(tensors, $"method{i}.")) state.Tensors[key] = value;
            learner.Methods[i].LoadState(state, learner);
        }
        var load = learner.Network.LoadStateDict(Prefixed(tensors, "model."), strict: false);
        if (load.MissingKeys.Count > 0 || load.UnexpectedKeys.Count > 0)
            throw new InvalidDataException($"{path}: the checkpoint's model does not match this run's (missing: {string.Join(", ", load.MissingKeys)}; unexpected: {string.Join(", ", load.UnexpectedKeys)}).");

        var initial = new Dictionary<Parameter, Tensor>();
        foreach (var (name, parameter) in learner.Network.NamedParameters())
            if (tensors.TryGetValue($"init.{name}", out var p0)) initial[parameter] = p0;

        var optimizerNode = JsonNode.Parse(optimizerJson)!.AsObject();
        var optimizer = new OptimizerStateDict(optimizerNode["type"]!.GetValue<string>());
        foreach (var (key, value) in Prefixed(tensors, "optimizer.")) optimizer.Tensors[key] = value;
        foreach (var (key, value) in optimizerNode["scalars"]!.AsObject()) optimizer.Scalars[key] = value!.GetValue<double>();
        learner.Optimizer.LoadStateDict(optimizer);
        return initial;
    }

    /// <summary>Writes a safetensors file through a temporary file and a rename, flushed to disk, so a crash leaves the old checkpoint or the new one, never half of one.</summary>
    public static void WriteAtomically(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            SafeTensors.Write(stream, tensors, metadata);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The tensors whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public static Dictionary<string, Tensor> Prefixed(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value, StringComparer.Ordinal);
}
