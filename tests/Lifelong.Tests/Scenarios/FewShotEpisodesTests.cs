using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class FewShotEpisodesTests
{
    private static readonly TrainTestSplit Data = TestData.Mnistlike(classes: 20, trainPerClass: 25, testPerClass: 1);
    private static readonly FewShotOptions FiveWayTwoShot = new(Ways: 5, Shots: 2, Queries: 3, Episodes: 50, TestEpisodes: 10);

    [Fact]
    public void An_episode_holds_N_times_K_support_and_N_times_Q_query_samples()
    {
        var episode = new FewShotEpisodes(Data, 0, FiveWayTwoShot).GetTask(4);
        Assert.Equal(10, episode.Train.Count);
        Assert.Equal(15, episode.Test.Count);
        Assert.Equal([2, 2, 2, 2, 2], episode.Train.LabelHistogram());
        Assert.Equal([3, 3, 3, 3, 3], episode.Test.LabelHistogram());
        Assert.Equal(10, episode.BatchSize);
    }

    [Fact]
    public void Labels_are_remapped_to_0_to_N_minus_1_in_the_order_of_the_episodes_classes()
    {
        var scenario = new FewShotEpisodes(Data, 0, FiveWayTwoShot);
        foreach (var episode in new[] { scenario.GetTask(0), scenario.GetTask(9), scenario.MetaTestEpisode(3) })
            foreach (var part in new[] { episode.Train, episode.Test })
                for (int i = 0; i < part.Count; i++)
                    Assert.Equal(episode.Classes[part.Labels[i]], part.ImageBytes(i)[0]); // pixel 0 = original class
    }

    [Fact]
    public void Support_and_query_images_are_distinct()
    {
        var episode = new FewShotEpisodes(Data, 0, FiveWayTwoShot).GetTask(1);
        var markers = new[] { episode.Train, episode.Test }
            .SelectMany(d => Enumerable.Range(0, d.Count).Select(i => (d.ImageBytes(i)[0], d.ImageBytes(i)[1])))
            .ToList();
        Assert.Equal(markers.Count, markers.Distinct().Count());
    }

    [Fact]
    public void Meta_train_and_meta_test_class_pools_are_disjoint_and_episodes_stay_in_their_pool()
    {
        var scenario = new FewShotEpisodes(Data, 3, FiveWayTwoShot);
        Assert.Empty(scenario.MetaTrainPool.Intersect(scenario.MetaTestPool));
        Assert.Equal(20, scenario.MetaTrainPool.Count + scenario.MetaTestPool.Count);
        for (int e = 0; e < 10; e++)
        {
            Assert.All(scenario.GetTask(e).Classes, c => Assert.Contains(c, scenario.MetaTrainPool));
            Assert.All(scenario.MetaTestEpisode(e).Classes, c => Assert.Contains(c, scenario.MetaTestPool));
        }
    }

    [Fact]
    public void Too_few_classes_for_the_ways_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new FewShotEpisodes(TestData.Mnistlike(classes: 6), 0, FiveWayTwoShot));
        Assert.Contains("5-way episodes need 5 classes in each pool", e.Message);
    }
}
