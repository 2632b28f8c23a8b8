using Lifelong.Data;
using Lifelong.Evaluation;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Examples;

/// <summary>A continual-learning run composed in C#, the library's counterpart of <c>lifelong run</c>; the README shows this code.</summary>
public static class ContinualRunDemo
{
    /// <summary>Fine-tunes an MLP on <paramref name="tasks"/> permuted-MNIST tasks and returns the result.</summary>
    public static RunResult Run(int tasks = 3, int steps = 300, ulong seed = 0)
    {
        var scenario = new PermutedMnist(new DatasetStore().Load("mnist"), seed, new PermutedMnistOptions(Tasks: tasks, Steps: steps));
        var rng = new Rng(seed);
        var network = new Mlp([784, 100, 100, 10], rng.Split("init"));
        var learner = new Learner(scenario, new ContinualModel(network, classes: 10), new Adam(network.Parameters(), lr: 1e-3),
            methods: [new Finetune()], rng, flatInputs: true);
        return new Trainer(learner, new Evaluator(new EvaluationOptions())).Run();
    }
}
