using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Tests.Scenarios;

public class SplitCifarTests
{
    /// <summary>A store holding a CIFAR-100 in the binary layout: <paramref name="perClass"/> records per class, image
    /// bytes all equal to the fine label, so a test can read each image's true class back.</summary>
    private static DatasetStore Cifar100Store(TestData.TempFolder temp, int perClass)
    {
        string folder = Path.Combine(temp.Path, "cifar100");
        Directory.CreateDirectory(folder);
        foreach (string file in new[] { CifarBinary.Cifar100TrainFile, CifarBinary.Cifar100TestFile })
        {
            using var stream = File.Create(Path.Combine(folder, file));
            for (int i = 0; i < 100 * perClass; i++)
            {
                byte label = (byte)(i % 100);
                stream.WriteByte((byte)(label / 5));
                stream.WriteByte(label);
                stream.Write(Enumerable.Repeat(label, 3 * 1024).ToArray());
            }
        }
        return new DatasetStore(temp.Path) { AllowDownload = false };
    }

    [Fact]
    public void Split_cifar100_makes_ten_tasks_of_ten_consecutive_classes_by_default()
    {
        using var temp = new TestData.TempFolder();
        var scenario = (ClassSplit)ScenarioCatalog.Get("split-cifar100").Create(ComponentSpec.Parse("split-cifar100", "scenario"), Cifar100Store(temp, 2), 0);
        Assert.Equal((10, 100), (scenario.TaskCount, scenario.OutputCount));
        for (int t = 0; t < 10; t++)
        {
            var task = scenario.GetTask(t);
            Assert.Equal(Enumerable.Range(10 * t, 10), task.Classes);
            Assert.Equal(20, task.Train.Count);
            // Class-incremental labels are the classes themselves here, and each image carries its true class.
            for (int i = 0; i < task.Train.Count; i++) Assert.Equal(task.Train.Labels[i], task.Train.ImageBytes(i)[0]);
        }
    }

    [Fact]
    public void Split_cifar100_takes_the_number_of_tasks_and_a_seeded_class_order()
    {
        using var temp = new TestData.TempFolder();
        var store = Cifar100Store(temp, 1);
        var five = (ClassSplit)ScenarioCatalog.Get("split-cifar100").Create(ComponentSpec.Parse("split-cifar100:tasks=5,flavour=task-incremental", "scenario"), store, 0);
        Assert.Equal((5, 20, 5), (five.TaskCount, five.OutputCount, five.HeadCount));
        var shuffled = (ClassSplit)ScenarioCatalog.Get("split-cifar100").Create(ComponentSpec.Parse("split-cifar100:shuffle-class-order=true", "scenario"), store, 7);
        Assert.Equal(Enumerable.Range(0, 100), shuffled.Groups.SelectMany(g => g).Order());
        Assert.NotEqual(Enumerable.Range(0, 10), shuffled.Groups[0]);
    }

    [Fact]
    public void A_number_of_tasks_that_does_not_divide_the_classes_is_refused()
    {
        using var temp = new TestData.TempFolder();
        var e = Assert.Throws<ConfigurationException>(() =>
            ScenarioCatalog.Get("split-cifar100").Create(ComponentSpec.Parse("split-cifar100:tasks=7", "scenario"), Cifar100Store(temp, 1), 0));
        Assert.Contains("does not divide", e.Message);
    }

    [Fact]
    public void A_vit_trains_on_split_cifar100_end_to_end()
    {
        using var temp = new TestData.TempFolder();
        var config = new RunConfig().With([
            new("scenario", ["split-cifar100:tasks=2,steps=2,batch-size=4"]), new("model", ["vit"]),
            new("methods", ["finetune"]), new("probe", ["none"]), new("eval-subset", ["20"])]);
        var result = RunFactory.Build(config, Cifar100Store(temp, 1)).Run();
        Assert.Equal(2, result.Tasks);
        Assert.All(result.AccuracyMatrix[1], a => Assert.InRange(a!.Value, 0, 1));
    }
}
