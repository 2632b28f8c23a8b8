using System.Text.Json.Nodes;
using Lifelong.NN;

namespace Lifelong.Training;

/// <summary>What a method saves in a checkpoint: named tensors (stored as safetensors) and small values (stored as JSON).</summary>
/// <remarks>
/// Tensors keyed by <see cref="Parameter"/> (anchors, Fisher diagonals) are saved under the parameter's dotted name,
/// so a resumed run — whose parameters are new objects — finds them again with <see cref="GetParameterTensors"/>.
/// </remarks>
public sealed class MethodState
{
    /// <summary>Named tensors.</summary>
    public Dictionary<string, Tensor> Tensors { get; } = new(StringComparer.Ordinal);

    /// <summary>Small values: counters, flags, RNG states.</summary>
    public JsonObject Values { get; init; } = [];

    /// <summary>Saves an RNG's state under <paramref name="key"/>.</summary>
    public void SetRng(string key, Rng rng) => Values[key] = new JsonArray([.. rng.GetState().Select(s => JsonValue.Create(s.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

    /// <summary>Restores into <paramref name="rng"/> the state saved under <paramref name="key"/>.</summary>
    public void GetRng(string key, Rng rng)
    {
        var array = Values[key]?.AsArray() ?? throw new InvalidDataException($"Method state: no RNG state '{key}'.");
        rng.SetState([.. array.Select(v => ulong.Parse(v!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))]);
    }

    /// <summary>Saves tensors keyed by parameter under <c>prefix.name</c>, the parameters' names in <paramref name="network"/>.</summary>
    public void SetParameterTensors(string prefix, IReadOnlyDictionary<Parameter, Tensor> values, Module network)
    {
        foreach (var (name, parameter) in network.NamedParameters())
            if (values.TryGetValue(parameter, out var value)) Tensors[$"{prefix}.{name}"] = value;
    }

    /// <summary>Reads back what <see cref="SetParameterTensors"/> saved, keyed by <paramref name="network"/>'s parameters.</summary>
    public Dictionary<Parameter, Tensor> GetParameterTensors(string prefix, Module network)
    {
        var result = new Dictionary<Parameter, Tensor>();
        foreach (var (name, parameter) in network.NamedParameters())
            if (Tensors.TryGetValue($"{prefix}.{name}", out var value))
            {
                if (value.Shape != parameter.Shape)
                    throw new InvalidDataException($"Method state: '{prefix}.{name}' has shape {value.Shape}, the parameter {parameter.Shape}.");
                result[parameter] = value;
            }
        return result;
    }
}
