using Lifelong.Evaluation;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.Runtime;

/// <summary>Small runs on synthetic MNIST-shaped data: a few tasks of a few steps, an MLP of 16 units.</summary>
internal static class TinyRuns
{
    public static PermutedMnist Permuted(int tasks = 3, int steps = 6, ulong seed = 3) =>
        new(TestData.Mnistlike(trainPerClass: 20, testPerClass: 5), seed, new PermutedMnistOptions(tasks, TrainPerTask: 100, TestSize: 40, Steps: steps, BatchSize: 8));

    public static ClassSplit TaskIncremental(int steps = 6) =>
        new(TestData.Mnistlike(trainPerClass: 20, testPerClass: 5), [[0, 1], [2, 3], [4, 5]], SplitFlavour.TaskIncremental, 5, new ClassSplitOptions(steps, 8));

    public static Learner Learner(Scenario scenario, IReadOnlyList<ContinualMethod> methods, ulong seed = 7, int hidden = 16, bool sgd = false)
    {
        var rng = new Rng(seed);
        var network = new Mlp([784, hidden, scenario.OutputCount * scenario.HeadCount], rng.Split("init"));
        var model = new ContinualModel(network, scenario.OutputCount, scenario.HeadCount);
        Optimizer optimizer = sgd ? new Sgd(network.Parameters(), lr: 1e-2) : new Adam(network.Parameters(), lr: 1e-3);
        return new Learner(scenario, model, optimizer, methods, rng, flatInputs: true);
    }

    public static Evaluator Evaluator(int every = 1) => new(new EvaluationOptions(Every: every, ProbeSize: 30));
}
