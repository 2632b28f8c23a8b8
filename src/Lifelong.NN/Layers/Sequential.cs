using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>y = fₙ(…f₂(f₁(x))): children applied in order, named "0", "1", … as PyTorch's <c>nn.Sequential</c>.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>A chain of <paramref name="layers"/>.</summary>
    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers) Append(layer);
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>Layer <paramref name="index"/>.</summary>
    public Module this[int index] => _layers[index];

    /// <summary>Adds <paramref name="layer"/> at the end, named by its position; returns this chain.</summary>
    public Sequential Append(Module layer)
    {
        AddModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    /// <param name="x">the first layer's input</param> <returns>the last layer's output</returns>
    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in _layers) x = layer.Forward(x);
        return x;
    }
}
