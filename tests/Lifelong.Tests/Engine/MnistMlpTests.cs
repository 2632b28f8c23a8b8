using Lifelong.Data;
using Lifelong.Examples;

namespace Lifelong.Tests.Engine;

/// <summary>The engine end to end on real data: the README's demo must reach the accuracy an MLP is known to reach.</summary>
public class MnistMlpTests
{
    [Fact]
    public void An_mlp_reaches_97_percent_on_mnist_within_three_epochs()
    {
        var accuracies = MnistMlpDemo.Train(new MnistMlpOptions(Hidden: [256, 256], Epochs: 3, Seed: 0), new DatasetStore());
        Assert.True(accuracies[^1] >= 0.97, $"test accuracy after 3 epochs was {accuracies[^1]:P2}, expected at least 97%");
    }
}
