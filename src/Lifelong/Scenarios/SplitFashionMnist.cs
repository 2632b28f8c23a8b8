using Lifelong.Data;

namespace Lifelong.Scenarios;

/// <summary>Split Fashion-MNIST: five tasks of two clothing classes, {0,1}, {2,3}, ..., {8,9}, in van de Ven et al.'s three flavours.</summary>
/// <remarks>Same protocol and defaults as <see cref="SplitMnist"/>, on Fashion-MNIST (T-shirt/Trouser, Pullover/Dress, Coat/Sandal, Shirt/Sneaker, Bag/Ankle boot).</remarks>
public static class SplitFashionMnist
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "split-fashion-mnist";

    /// <summary>Split Fashion-MNIST over <paramref name="fashionMnist"/> in the given flavour.</summary>
    public static ClassSplit Create(TrainTestSplit fashionMnist, SplitFlavour flavour, ulong seed, ClassSplitOptions? options = null) =>
        new(fashionMnist, SplitMnist.Pairs, flavour, seed, options, ScenarioName);
}
