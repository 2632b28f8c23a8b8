using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class RandomLabelAndEasyHardTests
{
    private static readonly TrainTestSplit Data = TestData.Mnistlike(trainPerClass: 30);
    private static readonly RandomLabelOptions SmallRandomLabel = new(Tasks: 4, Images: 120);

    [Fact]
    public void Random_label_tasks_keep_the_images_and_the_label_histogram_but_change_the_assignment()
    {
        var scenario = new RandomLabel(Data, 5, SmallRandomLabel);
        var tasks = scenario.Tasks().ToList();
        var histogram = scenario.Images.LabelHistogram();
        for (int t = 0; t < tasks.Count; t++)
        {
            var train = tasks[t].Train;
            Assert.Equal(120, train.Count);
            for (int i = 0; i < train.Count; i++) Assert.True(train.ImageBytes(i).SequenceEqual(scenario.Images.ImageBytes(i)));
            Assert.Equal(histogram, train.LabelHistogram());
            if (t > 0) Assert.NotEqual(tasks[t - 1].Train.Labels.ToArray(), train.Labels.ToArray());
        }
    }

    [Fact]
    public void The_first_random_label_task_is_permuted_too_unless_told_to_keep_the_true_labels()
    {
        // The L2 Init code permutes the labels once before task 0, as at every task switch.
        var permute = new RandomLabel(Data, 5, SmallRandomLabel);
        Assert.NotEqual(permute.Images.Labels.ToArray(), permute.LabelsOf(0));
        Assert.Equal(permute.Images.LabelHistogram(), permute.GetTask(0).Train.LabelHistogram());
        var keep = new RandomLabel(Data, 5, SmallRandomLabel with { FirstTaskTrueLabels = true });
        Assert.Equal(keep.Images.Labels.ToArray(), keep.LabelsOf(0));
    }

    [Fact]
    public void A_random_label_task_is_tested_on_its_own_training_set()
    {
        var task = new RandomLabel(Data, 5, SmallRandomLabel).GetTask(2);
        Assert.Same(task.Train, task.Test);
    }

    [Fact]
    public void Random_label_defaults_are_the_l2_init_protocol()
    {
        var options = new RandomLabelOptions();
        Assert.Equal((50, 1_200, false, 30_000, 16), (options.Tasks, options.Images, options.FirstTaskTrueLabels, options.Steps, options.BatchSize));
    }

    [Fact]
    public void Easy_and_hard_tasks_alternate_with_five_and_one_classes()
    {
        var data = TestData.Mnistlike(classes: 40, trainPerClass: 12, testPerClass: 2);
        var scenario = new EasyHard(data, 1, new EasyHardOptions(Tasks: 6, TrainPerClass: 10));
        var tasks = scenario.Tasks().ToList();
        Assert.Equal([5, 1, 5, 1, 5, 1], tasks.Select(t => t.Classes.Count));
        Assert.Equal([50, 10, 50, 10, 50, 10], tasks.Select(t => t.Train.Count));
        Assert.Equal(18, tasks.SelectMany(t => t.Classes).Distinct().Count()); // no class repeats while classes remain
        Assert.Equal(40, scenario.OutputCount);
        foreach (var task in tasks)
        {
            Assert.All(task.Train.Labels.ToArray(), label => Assert.Contains(label, task.Classes));
            Assert.Equal(task.Classes.Count * 2, task.Test.Count);
        }
    }

    [Fact]
    public void With_few_classes_easy_hard_reuses_a_class_only_after_all_have_appeared()
    {
        var data = TestData.Mnistlike(classes: 20, trainPerClass: 10, testPerClass: 1);
        var scenario = new EasyHard(data, 2, new EasyHardOptions(Tasks: 10, TrainPerClass: 10));
        var dealt = scenario.Tasks().SelectMany(t => t.Classes).ToList();
        Assert.Equal(30, dealt.Count);
        Assert.Equal(20, dealt.Take(20).Distinct().Count());
        Assert.All(scenario.Tasks(), t => Assert.Equal(t.Classes.Count, t.Classes.Distinct().Count()));
    }

    [Fact]
    public void Easy_hard_defaults_are_the_5_plus_1_cifar_protocol()
    {
        var options = new EasyHardOptions();
        Assert.Equal((30, 5, 1, 500, 780, 32), (options.Tasks, options.HardClasses, options.EasyClasses, options.TrainPerClass, options.Steps, options.BatchSize));
    }
}
