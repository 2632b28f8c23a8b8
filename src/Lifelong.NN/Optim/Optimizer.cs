using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Updates parameters in place from their gradients, as PyTorch's <c>torch.optim.Optimizer</c>.</summary>
/// <remarks>
/// Parameters are organised in groups (<see cref="ParamGroups"/>), each with its own hyperparameters; a group added
/// later with <see cref="AddParamGroup"/> (a growing network) starts with fresh state. State is kept per parameter
/// (<see cref="GetState"/>) and created lazily on the parameter's first update, as in PyTorch. Continual Backprop and
/// ReDo reinitialise some units and reset the matching elements of that state with <see cref="ResetState(Tensor, ReadOnlySpan{int}, int)"/>.
/// </remarks>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = [];
    private readonly Dictionary<Tensor, ParameterState> _state = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Tensor> _known = new(ReferenceEqualityComparer.Instance);
    private float[][] _scratch = [];

    /// <summary>The parameter groups, in the order they were added.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>Adds a group of parameters, each of which must not already be optimized by this optimizer.</summary>
    /// <remarks>Its parameters get fresh state on their first update. Its type must be the optimizer's group type.</remarks>
    public void AddParamGroup(ParamGroup group)
    {
        ValidateGroup(group);
        foreach (var p in group.Params)
        {
            if (!p.RequiresGrad)
                throw new ArgumentException($"{GetType().Name}.AddParamGroup: a parameter of shape {p.Shape} does not require grad; only leaves with RequiresGrad = true can be optimized.", nameof(group));
            if (!p.IsLeaf)
                throw new ArgumentException($"{GetType().Name}.AddParamGroup: a tensor of shape {p.Shape} is not a leaf; optimize the parameter, not a result computed from it.", nameof(group));
        }
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in group.Params)
            if (_known.Contains(p) || !seen.Add(p))
                throw new ArgumentException($"{GetType().Name}.AddParamGroup: a parameter of shape {p.Shape} appears in more than one group (or twice in this one); a parameter is optimized once.", nameof(group));
        _known.UnionWith(group.Params);
        _groups.Add(group);
        OnGroupAdded(group);
    }

    /// <summary>Checks that <paramref name="group"/> is of the type this optimizer expects.</summary>
    private protected abstract void ValidateGroup(ParamGroup group);

    /// <summary>Called once <paramref name="group"/> has been validated and added.</summary>
    private protected abstract void OnGroupAdded(ParamGroup group);

    /// <summary>Applies one update to every parameter that has a gradient; parameters whose <see cref="Tensor.Grad"/> is null are skipped.</summary>
    public void Step()
    {
        using var noGrad = Autograd.NoGrad();
        for (int g = 0; g < _groups.Count; g++)
        {
            var group = _groups[g];
            var parameters = group.Params;
            for (int i = 0; i < parameters.Count; i++)
            {
                var p = parameters[i];
                if (p.Grad is not { } grad) continue;
                if (grad.Size != p.Size)
                    throw new InvalidOperationException($"{GetType().Name}.Step: a parameter of shape {p.Shape} has a gradient of shape {grad.Shape}.");
                if (!_state.TryGetValue(p, out var state))
                {
                    state = new ParameterState();
                    InitializeState(p, state);
                    _state.Add(p, state);
                }
                state.Step++;
                Update(group, p, grad.Span, state);
            }
        }
    }

    /// <summary>Sets the gradient of every parameter to null (PyTorch's default <c>set_to_none=True</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var group in _groups)
            foreach (var p in group.Params)
                p.Grad = null;
    }

    /// <summary>Creates the state tensors of a parameter about to receive its first update.</summary>
    /// <param name="parameter">The parameter.</param>
    /// <param name="state">Its empty state (step 0).</param>
    protected abstract void InitializeState(Tensor parameter, ParameterState state);

    /// <summary>Updates one parameter in place.</summary>
    /// <param name="group">The parameter's group (its hyperparameters).</param>
    /// <param name="parameter">The parameter, whose values are updated in place.</param>
    /// <param name="grad">Its gradient, read only.</param>
    /// <param name="state">Its state, already counting this step in <see cref="ParameterState.Step"/>.</param>
    protected abstract void Update(ParamGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state);

    /// <summary>A reusable work buffer of <paramref name="length"/> floats; grows once, so steady-state steps do not allocate.</summary>
    /// <param name="slot">Which buffer (an update that needs two uses slots 0 and 1).</param>
    /// <param name="length">Number of floats wanted.</param>
    protected Span<float> Scratch(int slot, int length)
    {
        if (slot >= _scratch.Length) Array.Resize(ref _scratch, slot + 1);
        if (_scratch[slot] is null || _scratch[slot].Length < length) _scratch[slot] = new float[length];
        return _scratch[slot].AsSpan(0, length);
    }

    /// <summary>The state of <paramref name="parameter"/>, or null before its first update (or after <see cref="ClearState"/>).</summary>
    public ParameterState? GetState(Tensor parameter)
    {
        RequireKnown(parameter, nameof(GetState));
        return _state.GetValueOrDefault(parameter);
    }

    /// <summary>Forgets the state of <paramref name="parameter"/>, step count included: its next update is a first update.</summary>
    public void ClearState(Tensor parameter)
    {
        RequireKnown(parameter, nameof(ClearState));
        _state.Remove(parameter);
    }

    /// <summary>
    /// Zeroes the state of <paramref name="parameter"/> at the given indices along <paramref name="axis"/>, in every
    /// state tensor (Adam's <c>exp_avg</c> and <c>exp_avg_sq</c>, SGD's <c>momentum_buffer</c>).
    /// </summary>
    /// <remarks>
    /// For a Linear weight (out, in), axis 0 selects rows: the incoming weights of output units (reset when those units
    /// are reinitialised); axis 1 selects columns: the weights that read input units (the next layer's side of a
    /// recycled unit). For a Conv2d weight (out, in, kh, kw) the same axes select output and input channels; for a bias,
    /// use axis 0. The step count is kept, so bias correction of the reset elements continues from the parameter's step
    /// (PyTorch keeps one step per parameter; Continual Backprop's official code resets moments the same way). A
    /// parameter without state yet is left alone.
    /// </remarks>
    /// <param name="parameter">A parameter of this optimizer.</param>
    /// <param name="indices">Positions along <paramref name="axis"/> (negative counts from the end).</param>
    /// <param name="axis">The dimension the indices select along (negative counts from the end).</param>
    public void ResetState(Tensor parameter, ReadOnlySpan<int> indices, int axis = 0)
    {
        RequireKnown(parameter, nameof(ResetState));
        var shape = parameter.Shape;
        int ax = Shape.NormalizeAxis(axis, shape.Rank, $"{GetType().Name}.ResetState");
        int size = shape[ax];
        foreach (int index in indices)
            if (index < -size || index >= size)
                throw new ArgumentOutOfRangeException(nameof(indices), $"{GetType().Name}.ResetState: index {index} is out of range for axis {axis} of size {size} (parameter shape {shape}).");
        if (!_state.TryGetValue(parameter, out var state)) return;
        int outer = shape.SizeOf(0, ax), inner = shape.SizeOf(ax + 1, shape.Rank);
        foreach (var tensor in state.Tensors.Values)
        {
            var span = tensor.Span;
            for (int o = 0; o < outer; o++)
                foreach (int index in indices)
                    span.Slice(((o * size) + (index < 0 ? index + size : index)) * inner, inner).Clear();
        }
    }

    /// <summary>Zeroes the state of rows <paramref name="rows"/> (axis 0: the incoming weights of those output units).</summary>
    public void ResetRows(Tensor parameter, ReadOnlySpan<int> rows) => ResetState(parameter, rows, axis: 0);

    /// <summary>Zeroes the state of columns <paramref name="columns"/> (axis 1: the weights reading those input units).</summary>
    public void ResetColumns(Tensor parameter, ReadOnlySpan<int> columns) => ResetState(parameter, columns, axis: 1);

    /// <summary>Zeroes the state of <paramref name="parameter"/> wherever <paramref name="mask"/> (row-major, one flag per element) is true.</summary>
    /// <remarks>The step count is kept, as in <see cref="ResetState(Tensor, ReadOnlySpan{int}, int)"/>.</remarks>
    public void ResetState(Tensor parameter, ReadOnlySpan<bool> mask)
    {
        RequireKnown(parameter, nameof(ResetState));
        if (mask.Length != parameter.Size)
            throw new ArgumentException($"{GetType().Name}.ResetState: the mask has {mask.Length} flags for a parameter of shape {parameter.Shape} ({parameter.Size} elements).", nameof(mask));
        if (!_state.TryGetValue(parameter, out var state)) return;
        foreach (var tensor in state.Tensors.Values)
        {
            var span = tensor.Span;
            for (int i = 0; i < mask.Length; i++)
                if (mask[i]) span[i] = 0f;
        }
    }

    /// <summary>The optimizer's hyperparameters and state, copied, keyed by parameter index in group order (as PyTorch).</summary>
    public OptimizerStateDict StateDict() => OptimizerStateDict.Capture(this, _groups, _state);

    /// <summary>Restores hyperparameters and state from <paramref name="stateDict"/> (copied), which must come from an optimizer of the same type with the same group sizes and parameter shapes.</summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        var restored = stateDict.Restore(this, _groups);
        _state.Clear();
        foreach (var (p, state) in restored) _state.Add(p, state);
    }

    private void RequireKnown(Tensor parameter, string op)
    {
        if (!_known.Contains(parameter))
            throw new ArgumentException($"{GetType().Name}.{op}: the tensor of shape {parameter.Shape} is not a parameter of this optimizer.", nameof(parameter));
    }
}

/// <summary>An optimizer whose groups carry hyperparameters of type <typeparamref name="TGroup"/>.</summary>
/// <typeparam name="TGroup">The group type, e.g. <see cref="SgdParamGroup"/> or <see cref="AdamParamGroup"/>.</typeparam>
public abstract class Optimizer<TGroup> : Optimizer where TGroup : ParamGroup
{
    private readonly List<TGroup> _typedGroups = [];

    /// <summary>Creates the optimizer with one group: <paramref name="parameters"/> with the hyperparameters of <paramref name="defaults"/>.</summary>
    /// <param name="parameters">The first group's parameters (may be empty when every group is added later).</param>
    /// <param name="defaults">Hyperparameters for groups added without their own; its <see cref="ParamGroup.Params"/> is ignored.</param>
    protected Optimizer(IEnumerable<Tensor> parameters, TGroup defaults)
    {
        Defaults = defaults;
        AddParamGroup(parameters);
    }

    /// <summary>The hyperparameters a group gets unless told otherwise.</summary>
    public TGroup Defaults { get; }

    /// <summary>The parameter groups with their typed hyperparameters, in the order they were added.</summary>
    public new IReadOnlyList<TGroup> ParamGroups => _typedGroups;

    /// <summary>Adds a group of <paramref name="parameters"/> with the default hyperparameters, changed by <paramref name="configure"/>.</summary>
    /// <example><c>optimizer.AddParamGroup(head.Parameters(), g => g.Lr = 1e-2);</c></example>
    /// <returns>The new group.</returns>
    public TGroup AddParamGroup(IEnumerable<Tensor> parameters, Action<TGroup>? configure = null)
    {
        var group = (TGroup)((ParamGroup)Defaults with { Params = [.. parameters] });
        configure?.Invoke(group);
        AddParamGroup(group);
        return group;
    }

    private protected sealed override void ValidateGroup(ParamGroup group)
    {
        if (group is not TGroup)
            throw new ArgumentException($"{GetType().Name}.AddParamGroup: expected a {typeof(TGroup).Name}, got a {group.GetType().Name}.", nameof(group));
    }

    private protected sealed override void OnGroupAdded(ParamGroup group) => _typedGroups.Add((TGroup)group);

    /// <inheritdoc/>
    protected sealed override void Update(ParamGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state) =>
        Update((TGroup)group, parameter, grad, state);

    /// <summary>Updates one parameter in place.</summary>
    /// <param name="group">The parameter's group (its hyperparameters).</param>
    /// <param name="parameter">The parameter, whose values are updated in place.</param>
    /// <param name="grad">Its gradient, read only.</param>
    /// <param name="state">Its state, already counting this step in <see cref="ParameterState.Step"/>.</param>
    protected abstract void Update(TGroup group, Tensor parameter, ReadOnlySpan<float> grad, ParameterState state);
}
