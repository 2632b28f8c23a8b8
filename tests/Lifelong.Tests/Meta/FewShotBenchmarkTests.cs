using Lifelong.Meta;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Meta;

public class FewShotBenchmarkTests
{
    [Theory]
    [InlineData(FewShotMethod.Maml)]
    [InlineData(FewShotMethod.Fomaml)]
    [InlineData(FewShotMethod.MetaSgd)]
    [InlineData(FewShotMethod.Anil)]
    [InlineData(FewShotMethod.Reptile)]
    [InlineData(FewShotMethod.ProtoNet)]
    [InlineData(FewShotMethod.Pretrain)]
    public void Every_method_runs_and_scores_every_meta_test_episode(FewShotMethod method) => RunsAndScores(method, convFilters: 0);

    [Theory]
    [InlineData(FewShotMethod.Maml)]
    [InlineData(FewShotMethod.ProtoNet)]
    [InlineData(FewShotMethod.Pretrain)]
    public void The_conv_net_runs_too(FewShotMethod method) => RunsAndScores(method, convFilters: 4);

    private static void RunsAndScores(FewShotMethod method, int convFilters)
    {
        var data = TestData.Mnistlike(classes: 10, trainPerClass: 20, testPerClass: 1);
        var episodes = new FewShotEpisodes(data, 3, new FewShotOptions(Ways: 3, Shots: 2, Queries: 3, Episodes: 12, TestEpisodes: 7));
        var result = FewShotBenchmark.Run(episodes, new FewShotBenchmarkOptions(method, Iterations: 3, MetaBatch: 2, Hidden: [16, 8], ConvFilters: convFilters), seed: 1);
        Assert.Equal(7, result.Episodes);
        Assert.Equal((3, 2), (result.Ways, result.Shots));
        Assert.InRange(result.Accuracy, 0.0, 1.0);
        Assert.True(result.Interval95 >= 0);
    }

    [Fact]
    public void A_saved_meta_learned_model_starts_a_continual_model_with_its_body_and_a_fresh_head()
    {
        using var folder = new TestData.TempFolder();
        string path = Path.Combine(folder.Path, "maml.safetensors");
        var data = TestData.Mnistlike(classes: 10, trainPerClass: 20, testPerClass: 1);
        var episodes = new FewShotEpisodes(data, 3, new FewShotOptions(Ways: 3, Shots: 2, Queries: 3, Episodes: 12, TestEpisodes: 2));
        FewShotBenchmark.Run(episodes, new FewShotBenchmarkOptions(FewShotMethod.Maml, Iterations: 3, MetaBatch: 2, Hidden: [16, 8]), seed: 1, save: path);

        var stream = new Lifelong.NN.Mlp([784, 16, 8, 10], new Lifelong.Tensors.Rng(5));
        var load = Lifelong.Pretrained.PretrainedCheckpoint.Load(stream, path);
        var saved = Lifelong.NN.SafeTensors.Load(path).Tensors;
        Assert.Equal(saved["fc1.weight"].ToArray(), stream.NamedParameters().First(p => p.Name == "fc1.weight").Parameter.ToArray());
        Assert.Contains("head.weight", load.HeadKept);   // 3-way meta head, 10-way stream head: the stream keeps its own
    }
}
