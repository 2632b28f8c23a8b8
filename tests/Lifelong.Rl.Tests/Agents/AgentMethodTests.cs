using Lifelong.Catalog;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Rl.Agents;
using Lifelong.Rl.Experiments;
using Lifelong.Training;

namespace Lifelong.Rl.Tests.Agents;

/// <summary>The plasticity methods act on an agent's networks through <see cref="Learner.StepOnLoss"/>, unchanged.</summary>
public class AgentMethodTests
{
    private static (ActorCritic Network, Learner Learner) Build(params ContinualMethod[] methods)
    {
        var network = new ActorCritic(4, 2, [8, 8], new MlpOptions(), new Rng(1));
        var scenario = new LevelScenario("cartpole", LevelSchedule.Sequential(2, 10), 3, 1, 0);
        var learner = new Learner(scenario, new ContinualModel(network, 3), new Sgd(network.Parameters(), lr: 0.1), methods, new Rng(2), flatInputs: true);
        learner.BeginRun();
        learner.BeginTaskWithoutData(scenario.GetTask(0));
        return (network, learner);
    }

    private static Tensor Inputs() => Tensor.FromArray([0.1f, -0.2f, 0.3f, 0.05f, -0.4f, 0.2f, 0.1f, -0.1f], 2, 4);

    /// <summary>A loss with zero gradient, so that whatever moves the weights is the method.</summary>
    private static Tensor Nothing(Tensor output) => (output * 0f).Sum();

    [Fact]
    public void L2_init_adds_lambda_times_the_distance_from_theta0_to_the_gradient_of_both_networks()
    {
        var (network, learner) = Build(new L2Init(new L2InitOptions(Lambda: 0.5f)));
        foreach (var p in network.Parameters())
        {
            var span = p.Span;
            for (int i = 0; i < span.Length; i++) span[i] += 0.1f;
        }
        var before = network.Parameters().Select(p => p.ToArray()).ToList();
        var grads = new List<float[]>();
        learner.StepOnLoss(Inputs(), Nothing, () => grads.AddRange(network.Parameters().Select(p => p.Grad!.ToArray())));
        // ∇ ½λ‖θ − θ₀‖² = λ(θ − θ₀) = 0.5 · 0.1 everywhere, in the policy and in the value network.
        Assert.Equal(network.Parameters().Count(), grads.Count);
        Assert.All(grads.SelectMany(g => g), g => Assert.Equal(0.05f, g, 5));
        // SGD then moves every weight by −lr·λ(θ − θ₀) = −0.005.
        foreach (var (p, old) in network.Parameters().Zip(before))
            Assert.All(p.ToArray().Zip(old), pair => Assert.Equal(pair.Second - 0.005f, pair.First, 5));
    }

    [Fact]
    public void Shrink_and_perturb_shrinks_the_policy_and_the_value_network()
    {
        var (network, learner) = Build(new ShrinkAndPerturb(new ShrinkAndPerturbOptions(Shrink: 0.5f, Sigma: 0f)));
        var before = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        learner.StepOnLoss(Inputs(), Nothing);
        Assert.Contains("value.head.weight", before.Keys);
        foreach (var (name, p) in network.NamedParameters())
            Assert.Equal(before[name].Select(v => 0.5f * v), p.ToArray());
    }

    [Fact]
    public void Redo_recycles_a_dead_unit_of_the_policy_and_one_of_the_value_network()
    {
        var (network, learner) = Build(new ReDo(new ReDoOptions(Period: 1)));
        var initial = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        // Kill unit 0 of policy.fc2 and unit 3 of value.fc2 (the layers before the heads, which ReDo never recycles, so the
        // zeroed outgoing weights stay zero): zero incoming weights and a negative bias, so ReLU gives 0 for every input.
        Kill(network.Policy.HiddenLayers[1], 0);
        Kill(network.Value.HiddenLayers[1], 3);
        learner.StepOnLoss(Inputs(), Nothing);
        // Incoming weights and bias back to θ₀, outgoing weights zero.
        Assert.Equal(initial["policy.fc2.weight"].AsSpan(0, 8).ToArray(), network.Policy.HiddenLayers[1].Weight.ToArray().AsSpan(0, 8).ToArray());
        Assert.Equal(initial["policy.fc2.bias"][0], network.Policy.HiddenLayers[1].Bias!.Span[0]);
        Assert.All(Column(network.Policy.Head.Weight, 0), w => Assert.Equal(0f, w));
        Assert.Equal(initial["value.fc2.weight"].AsSpan(3 * 8, 8).ToArray(), network.Value.HiddenLayers[1].Weight.ToArray().AsSpan(3 * 8, 8).ToArray());
        Assert.Equal(initial["value.fc2.bias"][3], network.Value.HiddenLayers[1].Bias!.Span[3]);
        Assert.All(Column(network.Value.Head.Weight, 3), w => Assert.Equal(0f, w));
    }

    [Fact]
    public void Methods_defined_on_labelled_data_are_refused_with_the_list_of_those_that_apply()
    {
        var e = Assert.Throws<ConfigurationException>(() => AgentMethods.Create(["l2init+ewc"]));
        Assert.Contains("'ewc'", e.Message);
        Assert.Contains("l2init", e.Message);
        Assert.Contains("redo", e.Message);
        Assert.Equal(["l2init", "redo"], AgentMethods.Create(["l2init:lambda=0.01+redo"]).Select(m => m.Name));
    }

    private static void Kill(Linear layer, int unit)
    {
        int inputs = layer.Weight.Shape[1];
        layer.Weight.Span.Slice(unit * inputs, inputs).Clear();
        layer.Bias!.Span[unit] = -1f;
    }

    private static float[] Column(Parameter weight, int column)
    {
        int rows = weight.Shape[0], columns = weight.Shape[1];
        return [.. Enumerable.Range(0, rows).Select(r => weight.Span[r * columns + column])];
    }
}
