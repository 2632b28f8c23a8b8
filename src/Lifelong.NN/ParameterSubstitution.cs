using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The thread's current map from parameters to the tensors that stand in for them during a functional call.</summary>
/// <remarks>
/// Layers never read a parameter field directly in <c>Forward</c>; they go through Module.Resolve,
/// which consults this map. A scope is thread-static (a functional call on one thread never leaks into another) and
/// nests: an inner scope sees the outer substitutions plus its own, and disposing it restores the outer map.
/// </remarks>
internal static class ParameterSubstitution
{
    [ThreadStatic] private static Dictionary<Parameter, Tensor>? t_current;

    /// <summary>The stand-in for <paramref name="parameter"/> in the current scope, or the parameter itself.</summary>
    public static Tensor Resolve(Parameter parameter) =>
        t_current is not null && t_current.TryGetValue(parameter, out var substitute) ? substitute : parameter;

    /// <summary>Substitutes <paramref name="substitutes"/> until the returned scope is disposed.</summary>
    public static Scope Push(IEnumerable<KeyValuePair<Parameter, Tensor>> substitutes)
    {
        var previous = t_current;
        var merged = previous is null
            ? new Dictionary<Parameter, Tensor>(ReferenceEqualityComparer.Instance)
            : new Dictionary<Parameter, Tensor>(previous, ReferenceEqualityComparer.Instance);
        foreach (var (parameter, tensor) in substitutes) merged[parameter] = tensor;
        t_current = merged;
        return new Scope(previous);
    }

    /// <summary>Restores the enclosing substitutions when disposed.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly Dictionary<Parameter, Tensor>? _previous;
        private bool _disposed;

        internal Scope(Dictionary<Parameter, Tensor>? previous) => _previous = previous;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_current = _previous;
        }
    }
}
