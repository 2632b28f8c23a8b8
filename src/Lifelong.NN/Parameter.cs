using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A trainable tensor owned by a <see cref="Module"/>: a leaf that requires grad.</summary>
/// <remarks>
/// Parameters are the only tensors that change in place: optimizers, resets and merges write through
/// <see cref="Tensor.Span"/> under <see cref="Autograd.NoGrad"/>. Identity matters (optimizer state, EWC anchors and
/// functional calls are keyed by the parameter object), so equality is by reference.
/// </remarks>
public sealed class Parameter : Tensor
{
    /// <summary>A parameter holding a copy of <paramref name="values"/>.</summary>
    public Parameter(Tensor values)
        : base(values.ToArray(), values.Shape) => RequiresGrad = true;

    /// <summary>A parameter of zeros with the given dimensions (to be filled by an initializer from <see cref="Init"/>).</summary>
    public Parameter(params int[] dims)
        : base(new float[new Shape(dims).Size], new Shape(dims)) => RequiresGrad = true;
}
