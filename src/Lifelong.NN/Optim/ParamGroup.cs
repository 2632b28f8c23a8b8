using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A set of parameters optimized with the same hyperparameters, as a PyTorch param group.</summary>
/// <remarks>
/// Hyperparameters are doubles because PyTorch keeps them as Python floats: learning-rate schedules and bias
/// corrections are computed in double and rounded to float only when applied to the float32 parameters.
/// Schedulers change <see cref="Lr"/> between steps; every other field may be changed by hand.
/// </remarks>
public abstract record ParamGroup
{
    /// <summary>The parameters of this group, in the order they were given (the order of the state dict).</summary>
    public required IReadOnlyList<Tensor> Params { get; init; }

    /// <summary>Learning rate η.</summary>
    public double Lr { get; set; }

    /// <summary>Weight decay λ (coupled or decoupled: the optimizer says which).</summary>
    public double WeightDecay { get; set; }

    /// <summary>The hyperparameters by their PyTorch names (<c>lr</c>, <c>weight_decay</c>, ...), booleans as 0 or 1.</summary>
    public virtual IEnumerable<KeyValuePair<string, double>> Hyperparameters()
    {
        yield return new("lr", Lr);
        yield return new("weight_decay", WeightDecay);
    }

    /// <summary>Sets the hyperparameter called <paramref name="name"/> (a name from <see cref="Hyperparameters"/>).</summary>
    /// <returns>False when this group has no hyperparameter of that name.</returns>
    public virtual bool TrySetHyperparameter(string name, double value)
    {
        switch (name)
        {
            case "lr": Lr = value; return true;
            case "weight_decay": WeightDecay = value; return true;
            default: return false;
        }
    }
}
