namespace Lifelong.NN;

/// <summary>The hidden activation of a ready model.</summary>
public enum Activation
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>Exact GELU, x·Φ(x).</summary>
    Gelu,

    /// <summary>[relu(x), relu(−x)]: doubles the width the next layer sees.</summary>
    CRelu,

    /// <summary>max(x, a·x) with a small slope a (<see cref="LeakyReLU"/>).</summary>
    LeakyRelu,
}

/// <summary>Builds activation layers.</summary>
public static class ActivationExtensions
{
    /// <summary>The layer computing <paramref name="activation"/>, concatenating CReLU halves along <paramref name="axis"/>;
    /// <paramref name="negativeSlope"/> is LeakyReLU's a (PyTorch's default 0.01).</summary>
    public static Module ToModule(this Activation activation, int axis = -1, float negativeSlope = 0.01f) => activation switch
    {
        Activation.Relu => new ReLU(),
        Activation.Tanh => new Tanh(),
        Activation.Gelu => new GELU(),
        Activation.CRelu => new CReLU(axis),
        Activation.LeakyRelu => new LeakyReLU(negativeSlope),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };

    /// <summary>How many times wider the activation's output is than its input: 2 for CReLU, else 1.</summary>
    public static int WidthFactor(this Activation activation) => activation == Activation.CRelu ? 2 : 1;
}
