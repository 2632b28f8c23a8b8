using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class ClassSplitTests
{
    private static readonly TrainTestSplit Data = TestData.Mnistlike();

    /// <summary>Pixel 0 of every synthetic image is its original label.</summary>
    private static int OriginalLabel(Dataset data, int i) => data.ImageBytes(i)[0];

    [Theory]
    [InlineData(SplitFlavour.TaskIncremental)]
    [InlineData(SplitFlavour.DomainIncremental)]
    [InlineData(SplitFlavour.ClassIncremental)]
    public void Split_mnist_tasks_partition_the_ten_classes(SplitFlavour flavour)
    {
        var scenario = SplitMnist.Create(Data, flavour, 0);
        var classes = scenario.Tasks().SelectMany(t => t.Classes).ToList();
        Assert.Equal(Enumerable.Range(0, 10), classes.Order());
        Assert.Equal(5, scenario.TaskCount);
        foreach (var task in scenario.Tasks())
        {
            Assert.Equal(60, task.Train.Count);
            Assert.Equal(20, task.Test.Count);
            for (int i = 0; i < task.Test.Count; i++) Assert.Contains(OriginalLabel(task.Test, i), task.Classes);
        }
    }

    [Fact]
    public void Task_incremental_labels_are_positions_within_the_task_on_the_tasks_own_head()
    {
        var scenario = SplitMnist.Create(Data, SplitFlavour.TaskIncremental, 0);
        Assert.Equal((2, 5, true), (scenario.OutputCount, scenario.HeadCount, scenario.TaskIdAtTest));
        var task = scenario.GetTask(3);
        Assert.Equal(3, task.Head);
        for (int i = 0; i < task.Train.Count; i++) Assert.Equal(task.Classes[task.Train.Labels[i]], OriginalLabel(task.Train, i));
    }

    [Fact]
    public void Domain_incremental_shares_one_head_labelled_by_position_in_the_pair()
    {
        var scenario = SplitMnist.Create(Data, SplitFlavour.DomainIncremental, 0);
        Assert.Equal((2, 1, false), (scenario.OutputCount, scenario.HeadCount, scenario.TaskIdAtTest));
        var task = scenario.GetTask(2);
        Assert.Null(task.Head);
        for (int i = 0; i < task.Train.Count; i++) Assert.Equal(OriginalLabel(task.Train, i) % 2, task.Train.Labels[i]);
    }

    [Fact]
    public void Class_incremental_keeps_each_digit_as_its_own_label_on_one_ten_way_head()
    {
        var scenario = SplitMnist.Create(Data, SplitFlavour.ClassIncremental, 0);
        Assert.Equal((10, 1), (scenario.OutputCount, scenario.HeadCount));
        foreach (var task in scenario.Tasks())
            for (int i = 0; i < task.Train.Count; i++) Assert.Equal(OriginalLabel(task.Train, i), task.Train.Labels[i]);
    }

    [Fact]
    public void Shuffled_class_order_still_partitions_and_depends_on_the_seed()
    {
        var options = new ClassSplitOptions(ShuffleClassOrder: true);
        var a = SplitFashionMnist.Create(Data, SplitFlavour.ClassIncremental, 1, options);
        var b = SplitFashionMnist.Create(Data, SplitFlavour.ClassIncremental, 2, options);
        Assert.Equal(Enumerable.Range(0, 10), a.Groups.SelectMany(g => g).Order());
        Assert.NotEqual(a.Groups.SelectMany(g => g), b.Groups.SelectMany(g => g));
        var task = a.GetTask(1); // class-incremental labels follow the shuffled order: classes of task 1 are labels 2 and 3
        for (int i = 0; i < task.Train.Count; i++) Assert.Equal(task.Classes[task.Train.Labels[i] - 2], OriginalLabel(task.Train, i));
    }

    [Fact]
    public void The_general_builder_takes_any_class_groups_and_a_per_class_subset()
    {
        var scenario = new ClassSplit(Data, [[9, 4, 1], [0, 7]], SplitFlavour.TaskIncremental, 3, new ClassSplitOptions(TrainPerClass: 5));
        Assert.Equal((3, 2), (scenario.OutputCount, scenario.HeadCount));
        var task = scenario.GetTask(0);
        Assert.Equal([5, 5, 5], task.Train.LabelHistogram());
        Assert.Equal([9, 4, 1], task.Classes);
    }

    [Fact]
    public void Overlapping_groups_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassSplit(Data, [[1, 2], [2, 3]], SplitFlavour.ClassIncremental, 0));
        Assert.Contains("class 2 appears in more than one group", e.Message);
    }

    [Fact]
    public void Split_defaults_are_van_de_vens()
    {
        var options = new ClassSplitOptions();
        Assert.Equal((2_000, 128), (options.Steps, options.BatchSize));
    }
}
