using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class TransferExperimentTests
{
    private static readonly Lifelong.Data.TrainTestSplit Data = TestData.Mnistlike(trainPerClass: 12, testPerClass: 4);

    private static string Checkpoint(TestData.TempFolder folder)
    {
        string path = Path.Combine(folder.Path, "mlp16.safetensors");
        PretrainedCheckpoint.Save(new Mlp([784, 16, 10], new Rng(1)), path);
        return path;
    }

    [Fact]
    public void Every_regime_is_scored_at_every_k_and_a_seed_repeats_exactly()
    {
        using var folder = new TestData.TempFolder();
        var model = ComponentSpec.Parse($"mlp:16,checkpoint={Checkpoint(folder)}", "model");
        var options = new TransferOptions([1, 3], Steps: 5, BatchSize: 8, Classes: [0, 1, 2]);
        var results = TransferExperiment.Run(model, Data, options, seed: 4);
        Assert.Equal(6, results.Count);
        Assert.Equal([1, 1, 1, 3, 3, 3], results.Select(r => r.Shots));
        Assert.All(results, r => Assert.InRange(r.Accuracy, 0.0, 1.0));
        Assert.Equal(results, TransferExperiment.Run(model, Data, options, seed: 4));
    }

    [Fact]
    public void A_model_without_a_checkpoint_or_a_class_without_enough_images_is_refused_with_the_reason()
    {
        using var folder = new TestData.TempFolder();
        var plain = ComponentSpec.Parse("mlp:16", "model");
        Assert.Contains("needs a pretrained checkpoint", Assert.Throws<ArgumentException>(() => TransferExperiment.Run(plain, Data, new TransferOptions([1]), 0)).Message);
        var model = ComponentSpec.Parse($"mlp:16,checkpoint={Checkpoint(folder)}", "model");
        Assert.Contains("fewer than 100 shots", Assert.Throws<ArgumentException>(() => TransferExperiment.Run(model, Data, new TransferOptions([100], Steps: 1), 0)).Message);
    }
}
