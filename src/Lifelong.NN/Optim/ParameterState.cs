using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>An optimizer's running state for one parameter: named tensors shaped like it, and a step count.</summary>
/// <remarks>
/// The tensors are the optimizer's own buffers (Adam: <c>exp_avg</c>, <c>exp_avg_sq</c>; SGD with momentum:
/// <c>momentum_buffer</c>), not copies: writing to their <see cref="Tensor.Span"/> changes what the next step sees.
/// </remarks>
public sealed class ParameterState
{
    private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>Number of updates applied to the parameter since this state was created (PyTorch's <c>step</c>).</summary>
    public long Step { get; set; }

    /// <summary>The state tensors by name, in the order they were created.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>The state tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such state tensor (yet).</exception>
    public Tensor this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"ParameterState: no state tensor '{name}' (has: {string.Join(", ", _tensors.Keys)}).");

    /// <summary>The state tensor called <paramref name="name"/>, or null when it does not exist.</summary>
    public Tensor? Get(string name) => _tensors.GetValueOrDefault(name);

    /// <summary>Adds or replaces the state tensor called <paramref name="name"/>.</summary>
    public void Set(string name, Tensor value) => _tensors[name] = value;
}
