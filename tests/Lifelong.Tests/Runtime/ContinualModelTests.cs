using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Tests.Data;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.Runtime;

public class ContinualModelTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    [Fact]
    public void Each_sample_gets_the_outputs_of_its_own_head()
    {
        var network = new Mlp([4, 5, 3 * 2], new Rng(1));   // 3 heads of 2 classes
        var model = new ContinualModel(network, classes: 2, heads: 3);
        var x = Tensor.FromArray([.. Enumerable.Range(0, 12).Select(i => i * 0.1f)], 3, 4);
        var all = network.Forward(x);
        var selected = model.Forward(x, [2, 0, 1]);

        Assert.Equal(new Shape(3, 2), selected.Shape);
        int[] heads = [2, 0, 1];
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < 2; c++) Assert.Equal(all[n, heads[n] * 2 + c], selected[n, c]);
    }

    [Fact]
    public void Only_the_selected_heads_rows_receive_gradient()
    {
        var network = new Mlp([4, 5, 3 * 2], new Rng(1));
        var model = new ContinualModel(network, classes: 2, heads: 3);
        var x = Tensor.FromArray(new float[8].Select((_, i) => (float)i).ToArray(), 2, 4);
        F.CrossEntropy(model.Forward(x, [1, 1]), [0, 1]).Backward();

        var grad = network.Head.Weight.Grad!;
        for (int row = 0; row < 6; row++)
        {
            bool touched = Enumerable.Range(0, 5).Any(col => grad[row, col] != 0);
            Assert.Equal(row is 2 or 3, touched);
        }
    }

    [Fact]
    public void A_head_id_out_of_range_is_refused()
    {
        var model = new ContinualModel(new Mlp([4, 6], new Rng(1)), classes: 2, heads: 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(Tensor.Zeros(1, 4), [3]));
    }

    [Fact]
    public void Task_incremental_runs_train_and_evaluate_each_task_on_its_head()
    {
        // Two MNIST pairs, each on its own 2-unit head; 40 steps are enough to tell 0 from 1 and 2 from 3.
        var scenario = new ClassSplit(data.Mnist, [[0, 1], [2, 3]], SplitFlavour.TaskIncremental, 5, new ClassSplitOptions(Steps: 40, BatchSize: 32, TrainPerClass: 300));
        var learner = TinyRuns.Learner(scenario, [new Finetune()], hidden: 32);
        var result = new Runs.Trainer(learner, TinyRuns.Evaluator()).Run();

        Assert.Equal(2, learner.Model.Heads);
        Assert.All(Enumerable.Range(0, 2), j => Assert.True(result.AccuracyMatrix[j][j] > 0.9, $"task {j}: {result.AccuracyMatrix[j][j]}"));
    }
}
