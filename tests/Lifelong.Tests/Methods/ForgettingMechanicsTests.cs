using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

public class ForgettingMechanicsTests
{
    private static Learner Tiny(ContinualMethod method)
    {
        var scenario = TinyRuns.Permuted(tasks: 2, steps: 3);
        var rng = new Rng(4);
        var network = new Mlp([784, 5, 10], rng.Split("init"));
        var learner = new Learner(scenario, new ContinualModel(network, 10), new Adam(network.Parameters(), lr: 1e-3), [method], rng, flatInputs: true);
        learner.BeginRun();
        return learner;
    }

    [Fact]
    public void Exact_fisher_of_the_output_bias_is_the_mean_of_p_times_one_minus_p()
    {
        // ∂ log p_c / ∂ b_k = δ_ck − p_k, so Σ_c p_c (δ_ck − p_k)² = p_k (1 − p_k): the exact Fisher of the head bias,
        // averaged over inputs, needs no gradient code to check.
        var learner = Tiny(new Finetune());
        var task = learner.Scenario.GetTask(0);
        var head = ((Mlp)learner.Network).Head;
        var fisher = FisherInformation.Diagonal(learner, task, [head.Bias!, head.Weight], FisherKind.Exact, samples: 40, new Rng(1));
        var empirical = FisherInformation.Diagonal(learner, task, [head.Bias!], FisherKind.Empirical, samples: 40, new Rng(1));

        // The same 40 inputs (same RNG), in one batch, by hand.
        var subset = task.Train.Select(new Rng(1).Split("inputs").Permutation(task.Train.Count).AsSpan(0, 40));
        var batch = Load(learner, subset);
        var p = F.Softmax(learner.Predict(batch), axis: 1);
        for (int k = 0; k < 10; k++)
        {
            double exact = 0, trueLabel = 0;
            for (int n = 0; n < 40; n++)
            {
                double pk = p[n, k];
                exact += pk * (1 - pk);
                trueLabel += Math.Pow((batch.Labels[n] == k ? 1 : 0) - pk, 2);
            }
            Assert.Equal(exact / 40, fisher[head.Bias!].Span[k], 5);
            Assert.Equal(trueLabel / 40, empirical[head.Bias!].Span[k], 5);
        }
    }

    [Fact]
    public void Agem_projection_removes_the_component_that_conflicts_with_the_memory_gradient()
    {
        var parameter = new Parameter(Tensor.FromArray([0f, 0f], 2)) { Grad = Tensor.FromArray([1f, -2f], 2) };
        var reference = Tensor.FromArray([1f, 1f], 2);
        // gᵀg_ref = −1 < 0 → g − (−1/2)·g_ref = (1.5, −1.5), orthogonal to g_ref.
        Agem.Project([parameter], [reference], -0.5f);
        Assert.Equal([1.5f, -1.5f], parameter.Grad!.Span.ToArray());
    }

    [Fact]
    public void The_reservoir_keeps_a_uniform_sample_of_the_stream()
    {
        // 100 slots, 5,000 samples labelled by arrival decile: each decile should hold about 10 slots.
        var buffer = new ReservoirBuffer(100, 1);
        var rng = new Rng(2);
        int[] perDecile = new int[10];
        for (int trial = 0; trial < 20; trial++)
        {
            buffer = new ReservoirBuffer(100, 1);
            for (int i = 0; i < 5_000; i++) buffer.Add(new TrainingBatch([i], [1, 1], [i / 500], [0]), 1, rng);
            var (all, _) = buffer.Sample(100, [1], rng);
            foreach (int label in all.Labels) perDecile[label]++;
        }
        // 2,000 draws over 10 deciles: 200 ± 3·√(2000·0.1·0.9) ≈ 200 ± 40.
        Assert.All(perDecile, count => Assert.InRange(count, 160, 240));
        Assert.Equal(5_000, buffer.Seen);
    }

    [Fact]
    public void The_class_balanced_memory_stays_balanced_on_an_imbalanced_stream()
    {
        var buffer = new ReservoirBuffer(30, 1, classBalanced: true);
        var rng = new Rng(3);
        // 900 samples of class 0, then 30 of class 1, then 30 of class 2.
        for (int i = 0; i < 960; i++) buffer.Add(new TrainingBatch([i], [1, 1], [i < 900 ? 0 : i < 930 ? 1 : 2], [0]), 1, rng);
        var (all, _) = buffer.Sample(30, [1], rng);
        Assert.Equal([10, 10, 10], Enumerable.Range(0, 3).Select(c => all.Labels.Count(l => l == c)));
    }

    [Fact]
    public void Replay_appends_memory_samples_after_the_first_step()
    {
        var replay = new Replay(new ReplayOptions(Size: 20, BatchSize: 5));
        var learner = Tiny(replay);
        learner.BeginTask(learner.Scenario.GetTask(0));
        Assert.Equal(8, learner.Step(learner.NextBatch()).Batch.Count);   // memory empty
        var second = learner.Step(learner.NextBatch());
        Assert.Equal(8 + 5, second.Batch.Count);
        Assert.Equal(8, second.IncomingCount);
    }

    private static TrainingBatch Load(Learner learner, Lifelong.Data.Dataset data) =>
        TrainingBatch.From(new Lifelong.Data.DataLoader(data, data.Count, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false)).Next(), 0);
}
