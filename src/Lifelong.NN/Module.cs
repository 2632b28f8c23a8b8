using System.Diagnostics.CodeAnalysis;
using System.Text;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A network building block: ordered parameters, buffers and child modules, and a forward function.</summary>
/// <remarks>
/// Registration is explicit and ordered (<see cref="AddParameter"/>, <see cref="AddBuffer"/>, <see cref="AddModule{T}"/>),
/// as PyTorch's <c>nn.Module</c> without attribute magic. Names are dotted paths (<c>blocks.0.attn.qkv.weight</c>);
/// iteration lists a module's own parameters before its children's, each in registration order, as PyTorch does.
/// A <c>Forward</c> reads every parameter through <see cref="Resolve"/>, which is what lets
/// <see cref="Call"/> run the module with substituted parameters.
/// </remarks>
public abstract class Module
{
    private readonly List<(string Name, Parameter Parameter)> _parameters = [];
    private readonly List<(string Name, Tensor Buffer)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly HashSet<string> _names = [];

    /// <summary>Whether the module is in training mode (dropout active); set with <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Maps the input to the output.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>Registers <paramref name="parameter"/> under <paramref name="name"/> and returns it.</summary>
    protected Parameter AddParameter(string name, Parameter parameter)
    {
        Claim(name);
        _parameters.Add((name, parameter));
        return parameter;
    }

    /// <summary>Registers a non-trainable tensor that belongs to the state (running statistics, masks) and returns it.</summary>
    protected Tensor AddBuffer(string name, Tensor buffer)
    {
        Claim(name);
        _buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/> and returns it.</summary>
    protected T AddModule<T>(string name, T module)
        where T : Module
    {
        Claim(name);
        _children.Add((name, module));
        return module;
    }

    /// <summary>The tensor to use for <paramref name="parameter"/> in a forward pass: its substitute inside <see cref="Call"/>, else itself; null stays null (optional biases).</summary>
    [return: NotNullIfNotNull(nameof(parameter))]
    protected static Tensor? Resolve(Parameter? parameter) => parameter is null ? null : ParameterSubstitution.Resolve(parameter);

    /// <summary>Every parameter of this module and its descendants, in order, each once.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every parameter with its dotted name, own parameters first, then each child's in registration order; a shared parameter is listed once, under its first name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, parameter) in module._parameters)
                if (seen.Add(parameter)) yield return (Join(prefix, name), parameter);
    }

    /// <summary>Every buffer with its dotted name, in the same order as <see cref="NamedParameters"/>.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, buffer) in module._buffers)
                yield return (Join(prefix, name), buffer);
    }

    /// <summary>The direct children, in registration order.</summary>
    public IEnumerable<Module> Children() => _children.Select(c => c.Module);

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children;

    /// <summary>This module (name "") and every descendant with its dotted name, depth first, parents before children.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var stack = new Stack<(string Name, Module Module)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            var (name, module) = stack.Pop();
            yield return (name, module);
            for (int i = module._children.Count - 1; i >= 0; i--)
                stack.Push((Join(name, module._children[i].Name), module._children[i].Module));
        }
    }

    /// <summary>Total number of scalar parameters.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Size);

    /// <summary>Parameters then buffers, by dotted name, as independent copies (later training does not change them).</summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var state = new OrderedDictionary<string, Tensor>();
        foreach (var (name, parameter) in NamedParameters()) state.Add(name, parameter.Clone());
        foreach (var (name, buffer) in NamedBuffers()) state.Add(name, buffer.Clone());
        return state;
    }

    /// <summary>Copies the values of <paramref name="state"/> into this module's parameters and buffers, in place.</summary>
    /// <remarks>
    /// A shape mismatch is always an error. With <paramref name="strict"/>, a missing or unexpected key is an error too;
    /// every offending key is named in one message. Nothing is written unless the whole load is accepted.
    /// </remarks>
    /// <returns>The missing and unexpected keys (empty after a strict load).</returns>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        var targets = new OrderedDictionary<string, Tensor>();
        foreach (var (name, parameter) in NamedParameters()) targets.Add(name, parameter);
        foreach (var (name, buffer) in NamedBuffers()) targets.Add(name, buffer);

        var missing = targets.Keys.Where(k => !state.ContainsKey(k)).ToList();
        var unexpected = state.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var mismatched = targets
            .Where(t => state.TryGetValue(t.Key, out var source) && source.Shape != t.Value.Shape)
            .Select(t => $"  {t.Key}: the state dict has shape {state[t.Key].Shape}, the module has shape {t.Value.Shape}")
            .ToList();

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var message = new StringBuilder($"LoadStateDict: the state dict does not fit {GetType().Name}.");
            if (mismatched.Count > 0) message.Append("\nShape mismatches:\n").AppendJoin('\n', mismatched);
            if (strict && missing.Count > 0) message.Append("\nMissing keys: ").AppendJoin(", ", missing);
            if (strict && unexpected.Count > 0) message.Append("\nUnexpected keys: ").AppendJoin(", ", unexpected);
            if (strict && mismatched.Count == 0) message.Append("\nPass strict: false to load the matching keys only.");
            throw new ArgumentException(message.ToString(), nameof(state));
        }

        using (Autograd.NoGrad())
        {
            foreach (var (name, target) in targets)
                if (state.TryGetValue(name, out var source)) source.Span.CopyTo(target.Span);
        }
        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>Each parameter mapped to a detached, independent copy of its current values (EWC anchors, L2 Init's θ₀).</summary>
    public Dictionary<Parameter, Tensor> Snapshot() => Parameters().ToDictionary(p => p, p => p.Clone());

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters()) parameter.Grad = null;
    }

    /// <summary>Puts this module and every descendant in training mode; returns this module.</summary>
    public Module Train(bool mode = true)
    {
        // Recursing over the children (not NamedModules, which builds every dotted name): the training loop calls this each step.
        IsTraining = mode;
        foreach (var (_, child) in _children) child.Train(mode);
        return this;
    }

    /// <summary>Puts this module and every descendant in evaluation mode; returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Runs <see cref="Forward"/> with some parameters replaced by the given tensors, without changing the module (PyTorch's <c>torch.func.functional_call</c>).</summary>
    /// <remarks>
    /// Substitutes may be non-leaf tensors (MAML's fast weights θ − α∇L built with <c>createGraph: true</c>); the forward
    /// is recorded through them, so gradients flow to the substitutes and on to whatever produced them.
    /// </remarks>
    /// <param name="x">The input.</param>
    /// <param name="parameters">Substitutes by dotted name; parameters not named keep their own values.</param>
    public Tensor Call(Tensor x, IReadOnlyDictionary<string, Tensor> parameters)
    {
        using var scope = Substitute(parameters);
        return Forward(x);
    }

    /// <summary>Substitutes parameters by dotted name for every forward run on this thread until the returned scope is disposed.</summary>
    /// <remarks>The general form of <see cref="Call"/>, for forwards other than <see cref="Forward"/> (features, probes).</remarks>
    public IDisposable Substitute(IReadOnlyDictionary<string, Tensor> parameters)
    {
        var byName = NamedParameters().ToDictionary(p => p.Name, p => p.Parameter);
        var unknown = parameters.Keys.Where(k => !byName.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Call: {GetType().Name} has no parameters named {string.Join(", ", unknown)}.", nameof(parameters));
        var wrongShapes = parameters.Where(p => p.Value.Shape != byName[p.Key].Shape)
            .Select(p => $"{p.Key} (given {p.Value.Shape}, expected {byName[p.Key].Shape})").ToList();
        if (wrongShapes.Count > 0)
            throw new ArgumentException($"Call: substitutes with the wrong shape: {string.Join(", ", wrongShapes)}.", nameof(parameters));
        return ParameterSubstitution.Push(parameters.Select(p => KeyValuePair.Create(byName[p.Key], p.Value)));
    }

    private void Claim(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"{GetType().Name}: '{name}' is not a valid name; names are non-empty and contain no '.'.", nameof(name));
        if (!_names.Add(name))
            throw new ArgumentException($"{GetType().Name}: the name '{name}' is already registered.", nameof(name));
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
