namespace Lifelong.NN;

/// <summary>Which fan Kaiming initialization preserves the variance over.</summary>
public enum FanMode
{
    /// <summary>Preserve the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>Preserve the variance of gradients in the backward pass.</summary>
    FanOut,
}
