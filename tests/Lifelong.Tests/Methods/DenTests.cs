using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

/// <summary>DEN's mechanics on small networks: time stamps, expansion, split and duplication, selection, proximal steps.</summary>
public class DenTests
{
    private static Tensor Random(Rng rng, params int[] dims)
    {
        var t = Tensor.Zeros(dims);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++) span[i] = 2f * rng.NextFloat() - 1f;
        return t;
    }

    /// <summary>Two hidden layers (6, 5) on 4 inputs, 3 classes, 4 heads; task 0 finished (stamped), task 1 in training.</summary>
    private static DenNetwork TwoTasks(ulong seed = 1)
    {
        var rng = new Rng(seed);
        var layers = new List<(Tensor, Tensor)> { (Random(rng, 6, 4), Random(rng, 6)), (Random(rng, 5, 6), Random(rng, 5)) };
        var network = new DenNetwork(3, 4, layers, new Dictionary<int, (Tensor, Tensor)> { [0] = (Random(rng, 3, 5), Random(rng, 3)) }, new Dictionary<int, int[]>());
        return DenSurgery.AddHead(network.Stamped(0), 1, rng.Split("head"));
    }

    private static float[] Outputs(DenNetwork network, Tensor x, int head)
    {
        using (Autograd.NoGrad()) return network.Forward(x, Enumerable.Repeat(head, x.Shape[0]).ToArray()).ToArray();
    }

    [Fact]
    public void Expansion_leaves_an_earlier_tasks_outputs_bit_identical_and_changes_the_current_ones()
    {
        var network = TwoTasks();
        var x = Random(new Rng(5), 7, 4);
        var expanded = DenSurgery.Expand(network, 3, head: 1, new Rng(9));

        Assert.Equal([9, 8], expanded.Widths);
        Assert.Equal(Outputs(network, x, 0), Outputs(expanded, x, 0));
        Assert.NotEqual(Outputs(network, x, 1), Outputs(expanded, x, 1));
        Assert.Equal(new Shape(3, 8), expanded.Head(1).Weight.Shape);
        Assert.Equal(new Shape(3, 5), expanded.Head(0).Weight.Shape);
    }

    [Fact]
    public void A_head_without_a_task_outputs_zeros_and_mixed_heads_match_single_head_passes()
    {
        var network = TwoTasks();
        var x = Random(new Rng(5), 6, 4);
        Assert.All(Outputs(network, x, 3), v => Assert.Equal(0f, v));
        int[] heads = [1, 0, 0, 1, 3, 0];
        float[] mixed;
        using (Autograd.NoGrad()) mixed = network.Forward(x, heads).ToArray();
        for (int i = 0; i < heads.Length; i++)
        {
            var single = Outputs(network, x.Slice(0, i, 1), heads[i]);
            Assert.Equal(single, mixed.AsSpan(i * 3, 3).ToArray());
        }
        // The plain forward lays every head side by side, as ContinualModel expects.
        using (Autograd.NoGrad()) Assert.Equal(new Shape(6, 12), network.Forward(x).Shape);
    }

    [Fact]
    public void Split_restores_a_drifted_unit_for_earlier_tasks_and_its_copy_keeps_the_current_function()
    {
        var previous = TwoTasks();
        var x = Random(new Rng(5), 7, 4);
        float[] before = Outputs(previous, x, 0);

        // Training the new task moves unit 2 of fc1 far (drift 1.0).
        var trained = previous.Copy();
        trained.Weight(0).Span[2 * 4 + 1] += 1.0f;
        Assert.NotEqual(before, Outputs(trained, x, 0));
        HiddenForward current;
        using (Autograd.NoGrad()) current = trained.ForwardWithFeatures(x);

        var (split, counts) = DenSurgery.Split(trained, previous, head: 1, threshold: 0.05);

        Assert.Equal([1, 0], counts);
        Assert.Equal([7, 5], split.Widths);
        Assert.Equal(before, Outputs(split, x, 0));
        // The copy (unit 6) computes what unit 2 computed after training.
        HiddenForward after;
        using (Autograd.NoGrad()) after = split.ForwardWithFeatures(x);
        for (int n = 0; n < 7; n++) Assert.Equal(current.Hidden[0].Span[n * 6 + 2], after.Hidden[0].Span[n * 7 + 6], 5);
    }

    [Fact]
    public void Split_takes_the_largest_drifts_first_when_capped_and_nothing_below_the_threshold()
    {
        var previous = TwoTasks();
        var trained = previous.Copy();
        var w = trained.Weight(1).Span;
        w[0 * 6 + 0] += 0.3f;
        w[3 * 6 + 1] += 0.9f;
        w[4 * 6 + 2] += 0.04f;
        var (split, counts) = DenSurgery.Split(trained, previous, head: 1, threshold: 0.05, maxPerLayer: 1);
        Assert.Equal([0, 1], counts);
        // Unit 3 (drift 0.9) was split: its old copy is back to the previous weights.
        for (int j = 0; j < 6; j++) Assert.Equal(previous.Weight(1).Span[3 * 6 + j], split.Weight(1).Span[3 * 6 + j]);
        Assert.Equal(trained.Weight(1).Span[0 * 6 + 0], split.Weight(1).Span[0 * 6 + 0]);
    }

    [Fact]
    public void Selection_walks_down_from_the_new_heads_non_zero_weights()
    {
        var network = TwoTasks();
        // Head 1 reads top units 0 and 3 only; top unit 0 reads fc1 units 1 and 5, top unit 3 reads fc1 unit 2.
        var head = network.Head(1).Weight.Span;
        head.Clear();
        head[0 * 5 + 0] = 1f;
        head[2 * 5 + 3] = -2f;
        var top = network.Weight(1).Span;
        top.Clear();
        (top[0 * 6 + 1], top[0 * 6 + 5], top[3 * 6 + 2], top[4 * 6 + 0]) = (1f, 1f, 1f, 1f);

        var selected = DenSelection.Select(network, 1);
        Assert.Equal([1, 2, 5], selected[0].Order());
        Assert.Equal([0, 3], selected[1].Order());
    }

    [Fact]
    public void Proximal_steps_match_their_formulas()
    {
        var weight = new Parameter(Tensor.FromArray([0.5f, -0.2f, 0.05f, -0.01f], 2, 2));
        var trainable = new Trainable { [weight] = [true, true, true, false] };
        trainable.SoftThreshold(0.1f);
        Assert.Equal([0.4f, -0.1f, 0f, -0.01f], weight.ToArray(), new ToleranceComparer(1e-7f));

        var groupWeight = new Parameter(Tensor.FromArray([3f, 4f, 0.0003f, 0.0004f], 2, 2));
        var groups = new Groups { (groupWeight, [0, 1]), (groupWeight, [2, 3]) };
        groups.Shrink(1e-3f);
        // ‖(3, 4)‖ = 5 → scaled by 1 − 0.001/5; ‖(3e-4, 4e-4)‖ = 5e-4 < λ → zero.
        Assert.Equal([3f * 0.9998f, 4f * 0.9998f, 0f, 0f], groupWeight.ToArray(), new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void Den_refuses_a_shared_head_and_a_composition_with_a_clear_message()
    {
        var single = TinyRuns.Learner(TinyRuns.Permuted(), [new Den()]);
        var e = Assert.Throws<ArgumentException>(single.BeginRun);
        Assert.Contains("head per task", e.Message);
        var composed = TinyRuns.Learner(TinyRuns.TaskIncremental(), [new Den(), new Lifelong.Methods.L2Init(new L2InitOptions())]);
        Assert.Contains("cannot be combined", Assert.Throws<ArgumentException>(composed.BeginRun).Message);
    }

    [Fact]
    public void A_den_run_grows_stamps_every_task_and_reports_its_size()
    {
        var learner = TinyRuns.Learner(TinyRuns.TaskIncremental(steps: 20), [new Den(new DenOptions(LossThreshold: 0, MaxSplit: 2))]);
        var result = new Lifelong.Runs.Trainer(learner, new Lifelong.Evaluation.Evaluator(new(ProbeSize: 30, Auroc: true))).Run();
        var den = (Den)learner.Methods[0];
        var network = den.Network!;
        Assert.Same(network, learner.Network);
        Assert.Equal([0, 1, 2], network.Stamps.Keys.Order());
        Assert.True(network.Widths[0] > 16, "loss-threshold 0 expands every later task");
        Assert.Equal(network.Widths[0], result.Probes[^1].Method!["units.fc1"]);
        // Task 0: 20 steps; tasks 1, 2: 2 head steps, 20 selective, 20 expansion, and 20 more if a unit split.
        Assert.InRange(learner.TotalSteps, 20 + 2 * 42, 20 + 2 * 62);
        Assert.Equal(3, result.AurocMatrix!.Count);
        Assert.All(result.AurocMatrix.SelectMany(r => r), a => Assert.InRange(a!.Value, 0.0, 1.0));
        Assert.True(result.AurocMatrix[^1][0] > 0.6, "task 0's AUROC after three tasks");
        // Earlier stamps are prefixes of later ones.
        Assert.True(network.Stamps[0][0] <= network.Stamps[1][0] && network.Stamps[1][0] <= network.Stamps[2][0]);
    }
}

internal sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => MathF.Abs(x - y) <= tolerance;

    public int GetHashCode(float obj) => 0;
}
