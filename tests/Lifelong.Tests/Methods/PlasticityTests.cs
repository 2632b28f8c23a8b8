using Lifelong.Data;
using Lifelong.Evaluation;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Tests.Data;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

/// <summary>The L2 Init paper's claim on its Random Label MNIST protocol, shrunk to seconds: with Adam at 1e-3, plain
/// training loses the ability to fit new labels (most ReLU units die and the online accuracy falls to a constant
/// prediction's 1/7), while L2 Init keeps fitting them.</summary>
public class PlasticityTests(RealDataFixture data) : IClassFixture<RealDataFixture>
{
    private RunResult Run(ContinualMethod method, ulong seed)
    {
        var scenario = new RandomLabel(data.Mnist, seed, new RandomLabelOptions(Tasks: 3, Images: 300, Steps: 1_000));
        var rng = new Rng(seed);
        var network = new Mlp([784, 100, 100, 10], rng.Split("init"));
        var learner = new Learner(scenario, new ContinualModel(network, 10), new Adam(network.Parameters(), lr: 1e-3), [method], rng,
            flatInputs: true, new LearnerOptions(Normalization.Symmetric));
        return new Trainer(learner, new Evaluator(new EvaluationOptions(TestSubset: 100, Probe: ProbeData.CurrentTask, ProbeSize: 300))).Run();
    }

    [Fact]
    public void L2Init_keeps_fitting_new_random_labels_where_finetuning_loses_plasticity()
    {
        // Measured over seeds 1–5 (last task's online accuracy, every task's labels permuted as in the L2 Init code):
        // finetune 0.19 / 0.21 / 0.16 / 0.16 / 0.20, l2init 0.43 / 0.52 / 0.60 / 0.61 / 0.55; the smallest gap is 0.24.
        var finetune = Run(new Finetune(), seed: 2);
        var l2init = Run(new L2Init(new L2InitOptions()), seed: 2);

        Assert.True(finetune.OnlineAccuracy[^1] < 0.3, $"finetune, last task: {finetune.OnlineAccuracy[^1]}");
        Assert.True(l2init.OnlineAccuracy[^1] > finetune.OnlineAccuracy[^1] + 0.2, $"l2init {l2init.OnlineAccuracy[^1]} vs finetune {finetune.OnlineAccuracy[^1]}");
        // The mechanism: fine-tuning kills most units, L2 Init far fewer.
        double Dead(RunResult r) => r.Probes[^1].Layers.Average(l => l.DeadFraction);
        Assert.True(Dead(l2init) < Dead(finetune), $"dead fraction: l2init {Dead(l2init)} vs finetune {Dead(finetune)}");
    }
}
