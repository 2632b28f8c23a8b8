using Lifelong.Examples;

namespace Lifelong.Tests.Engine;

public class ContinualRunExampleTests
{
    [Fact]
    public void The_readme_library_example_runs_and_forgets_the_first_task_partly()
    {
        var result = ContinualRunDemo.Run(tasks: 2, steps: 200);

        Assert.Equal(2, result.Tasks);
        Assert.True(result.AccuracyMatrix[0][0] > 0.8, $"task 0 after training: {result.AccuracyMatrix[0][0]}");
        Assert.True(result.AccuracyMatrix[1][1] > 0.8, $"task 1 after training: {result.AccuracyMatrix[1][1]}");
        Assert.True(result.Summary.Bwt < 0, $"fine-tuning on a new permutation should cost task 0 some accuracy; BWT {result.Summary.Bwt}");
    }
}
