using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>A model that exposes each hidden layer's post-activation output, for probes (dead and dormant units, feature rank).</summary>
public interface IHiddenFeatures
{
    /// <summary>The hidden layers' names, in the order <see cref="ForwardWithFeatures"/> returns them (e.g. fc1, fc2).</summary>
    IReadOnlyList<string> HiddenLayerNames { get; }

    /// <summary>The output together with every hidden layer's post-activation output.</summary>
    HiddenForward ForwardWithFeatures(Tensor x);
}

/// <summary>A forward pass with its hidden activations.</summary>
/// <param name="Output">The model's output (logits).</param>
/// <param name="Hidden">Post-activation output of each hidden layer, in <see cref="IHiddenFeatures.HiddenLayerNames"/> order; (N, width) after a linear layer, (N, C, H, W) after a convolution.</param>
public sealed record HiddenForward(Tensor Output, IReadOnlyList<Tensor> Hidden);
