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
}
