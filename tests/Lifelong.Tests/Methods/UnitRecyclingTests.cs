using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

public class UnitRecyclingTests
{
    private static Learner Build(ContinualMethod method, float lr = 0.1f)
    {
        var scenario = TinyRuns.Permuted(tasks: 1, steps: 4);
        var rng = new Rng(9);
        var network = new Mlp([784, 6, 5, 10], rng.Split("init"));
        var learner = new Learner(scenario, new ContinualModel(network, 10), new Adam(network.Parameters(), lr: lr), [method], rng, flatInputs: true);
        learner.BeginRun();
        learner.BeginTask(scenario.GetTask(0));
        return learner;
    }

    [Fact]
    public void ReDo_resets_exactly_the_dormant_units_to_theta0_and_zeroes_their_outgoing_weights()
    {
        var method = new ReDo(new ReDoOptions(Period: 1, Threshold: 0.0));
        var learner = Build(method, lr: 0f);   // lr 0: the optimizer leaves the weights alone
        var mlp = (Mlp)learner.Network;
        var fc1 = mlp.NamedModules().Select(m => m.Module).OfType<Linear>().First();
        var fc2 = mlp.NamedModules().Select(m => m.Module).OfType<Linear>().ElementAt(1);
        var initial = mlp.Snapshot();
        // Kill unit 2 of fc1: a large negative bias makes its ReLU output 0 for every input.
        fc1.Bias!.Span[2] = -1000f;
        fc1.Weight.Span[2 * 784] = 5f;
        var before = mlp.Snapshot();

        learner.Step(learner.NextBatch());

        Assert.Equal(initial[fc1.Bias].Span[2], fc1.Bias.Span[2]);
        Assert.Equal(initial[fc1.Weight].Span[2 * 784], fc1.Weight.Span[2 * 784]);
        for (int o = 0; o < 5; o++) Assert.Equal(0f, fc2.Weight.Span[o * 6 + 2]);
        // Active units are untouched.
        Assert.Equal(before[fc1.Bias].Span[1], fc1.Bias.Span[1]);
        Assert.Equal(before[fc2.Weight].Span[1], fc2.Weight.Span[1]);
        Assert.True(method.Recycled >= 1);   // units that happen to be silent on this batch are recycled too
    }

    [Fact]
    public void Dormant_units_are_those_with_a_score_at_most_tau()
    {
        // mean|h| = [2, 0.04, 1, 0.96]; layer mean 1; scores 2, 0.04, 1, 0.96.
        Assert.Equal([1], ReDo.DormantUnits([2, 0.04, 1, 0.96], 0.05));
        Assert.Equal([], ReDo.DormantUnits([2, 0.04, 1, 0.96], 0.03));
    }

    [Fact]
    public void A_layer_silent_on_the_whole_batch_is_recycled_entirely()
    {
        // The layer mean is 0: with ReDo's ε every score is 0 ≤ τ. (Dividing by the bare mean, as the L2 Init code does,
        // gives NaN scores and recycles nothing; docs/methods.md.)
        Assert.Equal([0, 1, 2], ReDo.DormantUnits([0, 0, 0], 0.1));
        Assert.Equal([0, 1, 2], ReDo.DormantUnits([0, 0, 0], 0));
    }

    [Fact]
    public void Continual_backprop_replacement_keeps_the_batch_mean_output_and_zeroes_outgoing_weights()
    {
        // η = 0 makes f̂ the batch mean, maturity 0 and ρ = 1 replace every unit of every layer at once; with lr 0 the
        // only change is the replacement. The next layer's bias absorbs w·f̂, so the mean logits over the batch are unchanged.
        var method = new ContinualBackprop(new ContinualBackpropOptions(ReplacementRate: 1, Decay: 0, Maturity: 0, Utility: CbpUtility.Contribution));
        var learner = Build(method, lr: 0f);
        var mlp = (Mlp)learner.Network;
        var batch = learner.NextBatch();
        var meanBefore = learner.Predict(batch).Mean(0).Span.ToArray();

        learner.Step(batch);

        var meanAfter = learner.Predict(batch).Mean(0).Span.ToArray();
        for (int c = 0; c < 10; c++) Assert.Equal(meanBefore[c], meanAfter[c], 4);
        Assert.All(mlp.Head.Weight.Span.ToArray(), w => Assert.Equal(0f, w));
        Assert.Equal(6 + 5, method.Replaced);
        float bound = MathF.Sqrt(2f) * MathF.Sqrt(3f / 784);
        var fc1 = mlp.NamedModules().Select(m => m.Module).OfType<Linear>().First();
        Assert.All(fc1.Weight.Span.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(fc1.Bias!.Span.ToArray(), b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Continual_backprop_waits_for_maturity_and_replaces_fractionally()
    {
        // ρ = 0.1 over 6 + 5 mature units: 0.6 and 0.5 replacements accumulate per step; nothing before maturity.
        var method = new ContinualBackprop(new ContinualBackpropOptions(ReplacementRate: 0.1, Maturity: 2));
        var learner = Build(method);
        for (int s = 0; s < 2; s++) learner.Step(learner.NextBatch());
        Assert.Equal(0, method.Replaced);
        learner.Step(learner.NextBatch());   // ages 3 > 2: layer 1 pending 0.6, layer 2 pending 0.5 → none yet
        Assert.Equal(0, method.Replaced);
        learner.Step(learner.NextBatch());   // pending 1.2 and 1.0 → one unit each
        Assert.Equal(2, method.Replaced);
    }

    [Fact]
    public void Shrink_and_perturb_mixes_the_weights_with_a_fresh_init_sample()
    {
        var keep = new ShrinkAndPerturb(new ShrinkAndPerturbOptions(Shrink: 0, Sigma: 0));
        var learner = Build(keep, lr: 0f);
        var before = learner.Network.Snapshot();
        learner.Step(learner.NextBatch());
        foreach (var p in learner.Network.Parameters()) Assert.Equal(before[p].Span.ToArray(), p.Span.ToArray());

        var reset = new ShrinkAndPerturb(new ShrinkAndPerturbOptions(Shrink: 1, Sigma: 1));
        learner = Build(reset, lr: 0f);
        before = learner.Network.Snapshot();
        learner.Step(learner.NextBatch());
        var fc1 = learner.Network.Parameters().First();
        float bound = 1f / MathF.Sqrt(784);
        Assert.All(fc1.Span.ToArray(), w => Assert.InRange(w, -bound, bound));   // a fresh PyTorch-default draw
        Assert.NotEqual(before[fc1].Span.ToArray(), fc1.Span.ToArray());

        var half = new ShrinkAndPerturb(new ShrinkAndPerturbOptions(Shrink: 0.5f, Sigma: 0f));
        learner = Build(half, lr: 0f);
        before = learner.Network.Snapshot();
        learner.Step(learner.NextBatch());
        fc1 = learner.Network.Parameters().First();
        for (int i = 0; i < fc1.Size; i += 101) Assert.Equal(0.5f * before[fc1].Span[i], fc1.Span[i], 6);
    }
}

public class ShrinkAndPerturbLayerNormTests
{
    [Fact]
    public void Shrink_and_perturb_leaves_LayerNorm_parameters_alone()
    {
        var scenario = TinyRuns.Permuted(tasks: 1, steps: 2);
        var rng = new Rng(9);
        var network = new Mlp([784, 6, 10], rng.Split("init"), new MlpOptions(LayerNorm: true));
        var method = new ShrinkAndPerturb(new ShrinkAndPerturbOptions(Shrink: 0.5f, Sigma: 1f));
        var learner = new Learner(scenario, new ContinualModel(network, 10), new Sgd(network.Parameters(), lr: 0), [method], rng, flatInputs: true);
        learner.BeginRun();
        learner.BeginTask(scenario.GetTask(0));
        learner.Step(learner.NextBatch());
        var gamma = network.NamedParameters().First(p => p.Name == "norm1.weight").Parameter;
        Assert.All(gamma.Span.ToArray(), g => Assert.Equal(1f, g));
    }
}
