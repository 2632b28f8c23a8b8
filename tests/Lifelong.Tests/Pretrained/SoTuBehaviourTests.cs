using Lifelong.Data;
using Lifelong.Evaluation;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Tests.Data;
using Lifelong.Training;
using Xunit.Abstractions;

namespace Lifelong.Tests.Pretrained;

/// <summary>Continual learning on a pretrained backbone: an MLP pretrained on MNIST digits 5–9 (a few seconds), then
/// class-incremental learning of the disjoint digits 0–4 as {0, 1}, {2, 3}, {4}.</summary>
public class SoTuBehaviourTests(RealDataFixture data, ITestOutputHelper output) : IClassFixture<RealDataFixture>
{
    /// <summary>The backbone (fc1) of a 784-100-10 MLP trained on 10,000 images of digits 5–9 for 600 steps of Adam (batch 64).</summary>
    private Dictionary<string, Tensor> PretrainedBackbone()
    {
        var network = new Mlp([784, 100, 10], new Rng(11).Split("pretrain"));
        var optimizer = new Adam(network.Parameters(), lr: 1e-3);
        var train = data.Mnist.Train;
        var source = train.Select([.. Enumerable.Range(0, train.Count).Where(i => train.Labels[i] >= 5).Take(10_000)]);
        var loader = new DataLoader(source, 64, new Rng(12), new DataLoaderOptions(Flatten: true));
        for (int step = 0; step < 600; step++)
        {
            var batch = loader.Next();
            var loss = F.CrossEntropy(network.Forward(batch.ToTensor()), batch.Labels);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }
        return network.NamedParameters().Where(p => !Backbone.IsHead(p.Name)).ToDictionary(p => p.Name, p => p.Parameter.Clone());
    }

    private static RunResult Run(TrainTestSplit mnist, ContinualMethod method, Dictionary<string, Tensor> backbone)
    {
        var scenario = new ClassSplit(mnist, [[0, 1], [2, 3], [4]], SplitFlavour.ClassIncremental, 5, new ClassSplitOptions(Steps: 100, BatchSize: 32, TrainPerClass: 500));
        var rng = new Rng(7);
        var network = new Mlp([784, 100, scenario.OutputCount], rng.Split("init"));   // a fresh 5-way head on the pretrained backbone
        Assert.Empty(network.LoadStateDict(backbone, strict: false).UnexpectedKeys);
        var learner = new Learner(scenario, new ContinualModel(network, scenario.OutputCount), new Adam(network.Parameters(), lr: 1e-4), [method], rng, flatInputs: true);
        return new Trainer(learner, new Evaluator(new EvaluationOptions(TestSubset: 500, Probe: ProbeData.None))).Run();
    }

    [Fact]
    public void Sotu_beats_sequential_finetuning_in_class_incremental_learning_on_a_pretrained_mlp()
    {
        var backbone = PretrainedBackbone();
        var finetune = Run(data.Mnist, new Finetune(), backbone);
        var sotu = Run(data.Mnist, new SoTu(), backbone);
        var diagnostics = sotu.Probes[^1].Method!;
        foreach (var (name, r) in new[] { ("finetune", finetune), ("sotu", sotu) })
            output.WriteLine($"{name}: ACC {r.Summary.Acc:F3}, R = " + string.Join(" | ", r.AccuracyMatrix.Select(row => string.Join(" ", row.Select(a => $"{a:F2}")))));
        output.WriteLine($"sotu: collision {diagnostics["collision_rate"]:F3} (random masks {diagnostics["collision_rate_random"]:F3}), mean cosine {diagnostics["mean_pairwise_cosine"]:F3}");

        // Sequential fine-tuning of one head predicts only the last task's digit (ACC ≈ 1/3); SoTU merges sparse task deltas
        // (q = 1/3) and classifies with prototypes, which keep the earlier digits.
        Assert.True(finetune.Summary.Acc < 0.4, $"finetune ACC {finetune.Summary.Acc}");
        Assert.True(sotu.Summary.Acc > finetune.Summary.Acc + 0.25, $"sotu ACC {sotu.Summary.Acc} vs finetune {finetune.Summary.Acc}");
        Assert.True(sotu.AccuracyMatrix[^1][0] > 0.5, $"sotu final accuracy on the first task {sotu.AccuracyMatrix[^1][0]}");
        Assert.InRange(diagnostics["mean_pairwise_cosine"], -0.2, 0.2);
    }
}
