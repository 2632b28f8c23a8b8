using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class PermutedAndRotatedTests
{
    private static readonly TrainTestSplit Data = TestData.Mnistlike();
    private static readonly PermutedMnistOptions Small = new(Tasks: 4, TrainPerTask: 50, TestSize: 20);

    [Fact]
    public void Each_task_permutation_is_a_permutation_of_all_pixels()
    {
        var scenario = new PermutedMnist(Data, 7, Small);
        for (int t = 0; t < scenario.TaskCount; t++)
            Assert.Equal(Enumerable.Range(0, 784), scenario.PermutationOf(t).Order());
    }

    [Fact]
    public void Permutations_differ_between_tasks_and_the_first_task_keeps_the_original_pixels()
    {
        var scenario = new PermutedMnist(Data, 7, Small);
        Assert.Equal(Enumerable.Range(0, 784), scenario.PermutationOf(0));
        var permutations = Enumerable.Range(1, 3).Select(scenario.PermutationOf).ToList();
        Assert.NotEqual(permutations[0], permutations[1]);
        Assert.NotEqual(permutations[1], permutations[2]);
        Assert.NotEqual(Enumerable.Range(0, 784), permutations[0]);
    }

    [Fact]
    public void The_first_task_can_be_permuted_too()
    {
        var scenario = new PermutedMnist(Data, 7, Small with { PermuteFirstTask = true });
        Assert.NotEqual(Enumerable.Range(0, 784), scenario.PermutationOf(0));
    }

    [Fact]
    public void Task_data_is_the_permuted_images_with_their_digit_labels()
    {
        var scenario = new PermutedMnist(Data, 7, Small);
        var task = scenario.GetTask(2);
        int[] p = scenario.PermutationOf(2);
        Assert.Equal(50, task.Train.Count);
        Assert.Equal(20, task.Test.Count);
        Assert.Equal(625, task.Steps);
        Assert.Equal(16, task.BatchSize);
        var inverse = new int[784];
        for (int j = 0; j < 784; j++) inverse[p[j]] = j;
        var sourceOf = Enumerable.Range(0, Data.Train.Count).ToDictionary(s => (Data.Train.Labels[s], (int)Data.Train.ImageBytes(s)[1])); // (label, marker) is unique
        for (int i = 0; i < task.Train.Count; i++)
        {
            var permuted = task.Train.ImageBytes(i);
            Assert.Equal(task.Train.Labels[i], permuted[inverse[0]]); // pixel 0 carries the label
            var source = Data.Train.ImageBytes(sourceOf[(task.Train.Labels[i], permuted[inverse[1]])]);
            for (int j = 0; j < 784; j++) Assert.Equal(source[p[j]], permuted[j]);
        }
    }

    [Fact]
    public void Training_subsets_are_redrawn_per_task_while_the_test_subset_stays()
    {
        var scenario = new PermutedMnist(Data, 7, Small);
        var a = scenario.GetTask(0);
        var b = scenario.GetTask(1);
        Assert.NotEqual(a.Train.Labels.ToArray(), b.Train.Labels.ToArray());
        Assert.Equal(a.Test.Labels.ToArray(), b.Test.Labels.ToArray());
    }

    [Fact]
    public void Permuted_mnist_defaults_are_the_l2_init_protocol()
    {
        var options = new PermutedMnistOptions();
        Assert.Equal((500, 10_000, 1_000, false, 625, 16), (options.Tasks, options.TrainPerTask, options.TestSize, options.PermuteFirstTask, options.Steps, options.BatchSize));
    }

    [Fact]
    public void Rotation_angles_lie_in_range_and_differ_between_tasks()
    {
        var scenario = new RotatedMnist(Data, 3, new RotatedMnistOptions(Tasks: 5, TrainPerTask: 20, TestSize: 10, MinDegrees: 10, MaxDegrees: 50));
        var angles = Enumerable.Range(0, 5).Select(scenario.AngleOf).ToList();
        Assert.All(angles, a => Assert.InRange(a, 10, 50));
        Assert.Equal(5, angles.Distinct().Count());
        var task = scenario.GetTask(1);
        Assert.False(task.Train.HasBytePixels);
        Assert.Equal(20, task.Train.Count);
    }

    [Fact]
    public void An_unrotated_first_task_holds_the_original_pixels()
    {
        var scenario = new RotatedMnist(Data, 3, new RotatedMnistOptions(Tasks: 2, TrainPerTask: 5, TestSize: 5, RotateFirstTask: false));
        Assert.Equal(0, scenario.AngleOf(0));
        var test = scenario.GetTask(0).Test;
        Span<float> image = stackalloc float[784];
        test.CopyImage(0, image);
        Assert.Equal(test.Labels[0], (int)Math.Round(image[0] * 255)); // marker pixel 0 = label, unchanged
    }
}
