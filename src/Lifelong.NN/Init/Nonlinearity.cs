namespace Lifelong.NN;

/// <summary>The activation that follows a layer, which sets the gain of Kaiming and Xavier initialization (PyTorch's <c>calculate_gain</c>).</summary>
public enum Nonlinearity
{
    /// <summary>Identity or any linear map: gain 1.</summary>
    Linear,

    /// <summary>ReLU: gain √2.</summary>
    Relu,

    /// <summary>Leaky ReLU with negative slope a: gain √(2/(1 + a²)).</summary>
    LeakyRelu,

    /// <summary>tanh: gain 5/3.</summary>
    Tanh,

    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,
}
