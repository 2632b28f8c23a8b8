using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class DeterminismTests
{
    private static readonly TrainTestSplit Data = TestData.Mnistlike(classes: 12, trainPerClass: 30, testPerClass: 8);

    public static TheoryData<string> Names => ["permuted", "rotated", "split", "random-label", "easy-hard", "few-shot"];

    private static Scenario Make(string name, ulong seed) => name switch
    {
        "permuted" => new PermutedMnist(Data, seed, new PermutedMnistOptions(Tasks: 3, TrainPerTask: 40, TestSize: 10, PermuteFirstTask: true)),
        "rotated" => new RotatedMnist(Data, seed, new RotatedMnistOptions(Tasks: 3, TrainPerTask: 20, TestSize: 10)),
        "split" => new ClassSplit(Data, [[0, 1, 2], [3, 4, 5], [6, 7, 8]], SplitFlavour.ClassIncremental, seed, new ClassSplitOptions(TrainPerClass: 10, ShuffleClassOrder: true)),
        "random-label" => new RandomLabel(Data, seed, new RandomLabelOptions(Tasks: 3, Images: 60)),
        "easy-hard" => new EasyHard(Data, seed, new EasyHardOptions(Tasks: 3, HardClasses: 3, TrainPerClass: 10)),
        "few-shot" => new FewShotEpisodes(Data, seed, new FewShotOptions(Ways: 3, Shots: 2, Queries: 2, Episodes: 3)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Everything a task holds, flattened: classes, labels and pixels of train and test.</summary>
    private static List<float> Fingerprint(Scenario scenario)
    {
        var values = new List<float>();
        foreach (var task in scenario.Tasks())
        {
            values.AddRange(task.Classes.Select(c => (float)c));
            foreach (var part in new[] { task.Train, task.Test })
            {
                values.AddRange(part.Labels.ToArray().Select(l => (float)l));
                var image = new float[part.Shape.Size];
                for (int i = 0; i < part.Count; i++)
                {
                    part.CopyImage(i, image);
                    values.AddRange(image);
                }
            }
        }
        return values;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_same_seed_gives_the_same_stream(string name) =>
        Assert.Equal(Fingerprint(Make(name, 42)), Fingerprint(Make(name, 42)));

    [Theory]
    [MemberData(nameof(Names))]
    public void Another_seed_gives_another_stream(string name) =>
        Assert.NotEqual(Fingerprint(Make(name, 42)), Fingerprint(Make(name, 43)));

    [Theory]
    [MemberData(nameof(Names))]
    public void A_task_is_the_same_whichever_order_tasks_are_built_in(string name)
    {
        var forward = Make(name, 7);
        var backward = Make(name, 7);
        var last = backward.GetTask(2);
        _ = backward.GetTask(0);
        Assert.Equal(forward.GetTask(2).Train.Labels.ToArray(), last.Train.Labels.ToArray());
        Assert.Equal(forward.GetTask(2).Classes, last.Classes);
    }
}
