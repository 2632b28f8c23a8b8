using System.Globalization;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>An optimizer's hyperparameters and per-parameter state, detached from it: what a checkpoint stores.</summary>
/// <remarks>
/// Parameters are identified, as in PyTorch, by their index counted across groups in group order. Keys:
/// <list type="bullet">
/// <item><c>state.{i}.{name}</c> in <see cref="Tensors"/>: state tensor <c>name</c> of parameter i (e.g. <c>state.3.exp_avg</c>);</item>
/// <item><c>state.{i}.step</c> in <see cref="Scalars"/>: its step count;</item>
/// <item><c>param_groups.{g}.{hyperparameter}</c> in <see cref="Scalars"/>: e.g. <c>param_groups.0.lr</c>;</item>
/// <item><c>param_groups.{g}.param_count</c> in <see cref="Scalars"/>: how many parameters group g holds.</item>
/// </list>
/// Scalars are doubles, which hold every float hyperparameter and step count exactly. <see cref="Save"/> writes the
/// tensors to a safetensors file and the scalars, in round-trip notation, to its metadata.
/// </remarks>
public sealed class OptimizerStateDict
{
    private const string TypeKey = "optimizer";
    private const string ScalarPrefix = "scalar:";

    /// <summary>Creates an empty state dict for an optimizer of type <paramref name="optimizerType"/>.</summary>
    /// <param name="optimizerType">The optimizer's class name (<c>Sgd</c>, <c>Adam</c>, <c>AdamW</c>).</param>
    public OptimizerStateDict(string optimizerType) => OptimizerType = optimizerType;

    /// <summary>The optimizer's class name; loading into another type is refused.</summary>
    public string OptimizerType { get; }

    /// <summary>State tensors by key <c>state.{i}.{name}</c>.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>Step counts, group sizes and hyperparameters by key.</summary>
    public Dictionary<string, double> Scalars { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes this state dict to a safetensors file (tensors as F32, scalars and the optimizer type in the metadata).</summary>
    public void Save(string path)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [TypeKey] = OptimizerType };
        foreach (var (key, value) in Scalars) metadata[ScalarPrefix + key] = value.ToString("R", CultureInfo.InvariantCulture);
        SafeTensors.Save(path, Tensors, metadata);
    }

    /// <summary>Reads a state dict written by <see cref="Save"/>.</summary>
    /// <exception cref="SafeTensorsException">The file is not a valid safetensors file or lacks the optimizer metadata.</exception>
    public static OptimizerStateDict Load(string path)
    {
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(TypeKey, out var type))
            throw new SafeTensorsException(path, $"no '{TypeKey}' entry in __metadata__; this is not an optimizer state dict.");
        var dict = new OptimizerStateDict(type);
        foreach (var (name, tensor) in file.Tensors) dict.Tensors[name] = tensor;
        foreach (var (key, value) in file.Metadata)
        {
            if (!key.StartsWith(ScalarPrefix, StringComparison.Ordinal)) continue;
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double scalar))
                throw new SafeTensorsException(path, $"metadata '{key}' = '{value}' is not a number.");
            dict.Scalars[key[ScalarPrefix.Length..]] = scalar;
        }
        return dict;
    }

    internal static OptimizerStateDict Capture(Optimizer optimizer, IReadOnlyList<ParamGroup> groups, IReadOnlyDictionary<Tensor, ParameterState> states)
    {
        var dict = new OptimizerStateDict(optimizer.GetType().Name);
        int index = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            dict.Scalars[$"param_groups.{g}.param_count"] = groups[g].Params.Count;
            foreach (var (name, value) in groups[g].Hyperparameters()) dict.Scalars[$"param_groups.{g}.{name}"] = value;
            foreach (var p in groups[g].Params)
            {
                if (states.TryGetValue(p, out var state))
                {
                    dict.Scalars[$"state.{index}.step"] = state.Step;
                    foreach (var (name, tensor) in state.Tensors) dict.Tensors[$"state.{index}.{name}"] = tensor.Clone();
                }
                index++;
            }
        }
        return dict;
    }

    /// <summary>Checks this dict against the optimizer, sets the groups' hyperparameters and returns fresh state per parameter.</summary>
    internal List<(Tensor Parameter, ParameterState State)> Restore(Optimizer optimizer, IReadOnlyList<ParamGroup> groups)
    {
        string who = $"{optimizer.GetType().Name}.LoadStateDict";
        if (OptimizerType != optimizer.GetType().Name)
            throw new ArgumentException($"{who}: the state dict is from a {OptimizerType} optimizer.");
        int savedGroups = Scalars.Keys.Count(k => k.StartsWith("param_groups.", StringComparison.Ordinal) && k.EndsWith(".param_count", StringComparison.Ordinal));
        if (savedGroups != groups.Count)
            throw new ArgumentException($"{who}: the state dict has {savedGroups} parameter groups, the optimizer {groups.Count}.");

        var parameters = new List<Tensor>();
        for (int g = 0; g < groups.Count; g++)
        {
            if (!Scalars.TryGetValue($"param_groups.{g}.param_count", out double count))
                throw new ArgumentException($"{who}: the state dict has no 'param_groups.{g}.param_count'.");
            if (count != groups[g].Params.Count)
                throw new ArgumentException($"{who}: group {g} has {count} parameters in the state dict and {groups[g].Params.Count} in the optimizer.");
            parameters.AddRange(groups[g].Params);
        }

        var restored = new Dictionary<int, ParameterState>();
        foreach (var (key, tensor) in Tensors)
        {
            var (index, name) = ParseStateKey(key, who, parameters.Count);
            var p = parameters[index];
            if (tensor.Shape != p.Shape)
                throw new ArgumentException($"{who}: '{key}' has shape {tensor.Shape} but parameter {index} has shape {p.Shape}.");
            if (!restored.TryGetValue(index, out var state)) restored[index] = state = new ParameterState();
            state.Set(name, tensor.Clone());
        }
        foreach (var (key, value) in Scalars)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal)) continue;
            var (index, name) = ParseStateKey(key, who, parameters.Count);
            if (name != "step") throw new ArgumentException($"{who}: unknown state scalar '{key}'.");
            if (!restored.TryGetValue(index, out var state)) restored[index] = state = new ParameterState();
            state.Step = (long)value;
        }

        // Hyperparameters last, after checking every name: nothing is changed unless the whole dict fits.
        var settings = new List<(ParamGroup Group, string Name, double Value)>();
        foreach (var (key, value) in Scalars)
        {
            if (!key.StartsWith("param_groups.", StringComparison.Ordinal) || key.EndsWith(".param_count", StringComparison.Ordinal)) continue;
            var parts = key.Split('.', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int g) || g >= groups.Count
                || !groups[g].Hyperparameters().Any(h => h.Key == parts[2]))
                throw new ArgumentException($"{who}: '{key}' is not a hyperparameter of this optimizer's groups.");
            settings.Add((groups[g], parts[2], value));
        }
        foreach (var (group, name, value) in settings) group.TrySetHyperparameter(name, value);
        return [.. restored.Select(kv => (parameters[kv.Key], kv.Value))];
    }

    private static (int Index, string Name) ParseStateKey(string key, string who, int parameterCount)
    {
        var parts = key.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "state" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new ArgumentException($"{who}: '{key}' is not a state key of the form state.<index>.<name>.");
        if (index >= parameterCount)
            throw new ArgumentException($"{who}: '{key}' refers to parameter {index}, but the optimizer has {parameterCount} parameters.");
        return (index, parts[2]);
    }
}
