using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A fully connected classifier: hᵢ = act(norm(Wᵢ·hᵢ₋₁ + bᵢ)) for each hidden layer, then logits = W·h + b.</summary>
/// <remarks>
/// Sizes [784, 100, 100, 10] give <c>fc1</c> (784 → 100), <c>fc2</c> (100 → 100) and <c>head</c> (100 → 10); with
/// LayerNorm, <c>norm1</c>, <c>norm2</c> sit between each hidden linear layer and its activation. With CReLU, every layer
/// after a hidden activation takes twice its width. PyTorch's default init throughout.
/// </remarks>
public sealed class Mlp : Module, IHiddenFeatures
{
    private readonly List<(Linear Linear, Module? Norm, Module Activation)> _hidden = [];
    private readonly string[] _hiddenNames;

    /// <summary>The output layer.</summary>
    public Linear Head { get; }

    /// <summary>The hidden linear layers, input side first.</summary>
    public IReadOnlyList<Linear> HiddenLayers => [.. _hidden.Select(h => h.Linear)];

    /// <summary>Activation and normalization options.</summary>
    public MlpOptions Options { get; }

    /// <summary>An MLP with layer widths <paramref name="sizes"/>: input, hidden…, output.</summary>
    /// <param name="sizes">At least input and output widths.</param>
    /// <param name="rng">Init stream; each layer draws from its own split, named after it.</param>
    /// <param name="options">Activation and normalization; ReLU without norm by default.</param>
    public Mlp(IReadOnlyList<int> sizes, Rng rng, MlpOptions? options = null)
    {
        if (sizes.Count < 2) throw new ArgumentException($"Mlp: need at least input and output sizes, got [{string.Join(", ", sizes)}].", nameof(sizes));
        Options = options ??= new MlpOptions();
        int width = sizes[0];
        for (int i = 1; i < sizes.Count - 1; i++)
        {
            var linear = AddModule($"fc{i}", new Linear(width, sizes[i], rng.Split($"fc{i}")));
            var norm = options.LayerNorm ? AddModule($"norm{i}", new LayerNorm(sizes[i], options.LayerNormEps)) : null;
            _hidden.Add((linear, norm, options.Activation.ToModule(negativeSlope: options.NegativeSlope)));
            width = sizes[i] * options.Activation.WidthFactor();
        }
        Head = AddModule("head", new Linear(width, sizes[^1], rng.Split("head")));
        _hiddenNames = [.. Enumerable.Range(1, _hidden.Count).Select(i => $"fc{i}")];
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> HiddenLayerNames => _hiddenNames;

    /// <param name="x">(N, in)</param> <returns>(N, out)</returns>
    public override Tensor Forward(Tensor x) => ForwardWithFeatures(x).Output;

    /// <inheritdoc/>
    public HiddenForward ForwardWithFeatures(Tensor x)
    {
        var hidden = new List<Tensor>(_hidden.Count);
        foreach (var (linear, norm, activation) in _hidden)
        {
            var z = linear.Forward(x);
            if (norm is not null) z = norm.Forward(z);
            x = activation.Forward(z);
            hidden.Add(x);
        }
        return new HiddenForward(Head.Forward(x), hidden);
    }
}
