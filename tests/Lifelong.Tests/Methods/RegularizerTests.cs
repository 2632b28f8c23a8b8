using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

public class RegularizerTests
{
    /// <summary>A learner on an MLP with LayerNorm whose weights moved away from θ₀ by a known amount.</summary>
    private static (Learner Learner, Dictionary<Parameter, Tensor> Initial) Moved(ContinualMethod method)
    {
        var scenario = TinyRuns.Permuted(tasks: 1);
        var rng = new Rng(5);
        var network = new Mlp([784, 8, 10], rng.Split("init"), new MlpOptions(LayerNorm: true));
        var learner = new Learner(scenario, new ContinualModel(network, 10), new Sgd(network.Parameters(), lr: 0.1), [method], rng, flatInputs: true);
        var initial = network.Snapshot();
        learner.BeginRun();
        foreach (var p in network.Parameters())
        {
            var values = p.Span;
            for (int i = 0; i < values.Length; i++) values[i] += 0.01f * ((i % 7) - 3);
        }
        return (learner, initial);
    }

    private static Dictionary<Parameter, Tensor> PenaltyGradient(Learner learner, ContinualMethod method)
    {
        learner.Network.ZeroGrad();
        method.Loss(learner, null!)!.Backward();
        return learner.Network.Parameters().ToDictionary(p => p, p => p.Grad ?? Tensor.ZerosLike(p));
    }

    [Fact]
    public void L2Init_gradient_is_lambda_times_the_distance_from_init_and_skips_LayerNorm()
    {
        var method = new L2Init(new L2InitOptions(Lambda: 0.3f));
        var (learner, initial) = Moved(method);
        var grads = PenaltyGradient(learner, method);

        foreach (var (name, p) in learner.Network.NamedParameters())
            for (int i = 0; i < p.Size; i++)
            {
                // ∂/∂θ [λ/2 · Σ(θ − θ₀)²] = λ(θ − θ₀); LayerNorm's parameters carry no penalty.
                float expected = name.StartsWith("norm", StringComparison.Ordinal) ? 0 : 0.3f * (p.Span[i] - initial[p].Span[i]);
                Assert.Equal(expected, grads[p].Span[i], 6);
            }
    }

    [Fact]
    public void L2Init_penalty_value_is_half_lambda_times_the_squared_distance()
    {
        var method = new L2Init(new L2InitOptions(Lambda: 0.5f));
        var (learner, initial) = Moved(method);
        double expected = 0;
        foreach (var (name, p) in learner.Network.NamedParameters())
            if (!name.StartsWith("norm", StringComparison.Ordinal))
                for (int i = 0; i < p.Size; i++) expected += Math.Pow(p.Span[i] - initial[p].Span[i], 2);
        Assert.Equal(0.25 * expected, method.Loss(learner, null!)!.Item(), 0.25 * expected * 1e-5);   // float32 sums: relative 1e-5
    }

    [Fact]
    public void L2_gradient_is_lambda_times_theta()
    {
        var method = new L2(new L2Options(Lambda: 0.2f));
        var (learner, _) = Moved(method);
        var grads = PenaltyGradient(learner, method);
        var fc1 = ((Mlp)learner.Network).NamedParameters().First(p => p.Name == "fc1.weight").Parameter;
        for (int i = 0; i < fc1.Size; i += 97) Assert.Equal(0.2f * fc1.Span[i], grads[fc1].Span[i], 6);
    }

    [Fact]
    public void L1Init_gradient_is_lambda_times_the_sign_of_the_distance()
    {
        var method = new L1Init(new L1InitOptions(Lambda: 0.1f));
        var (learner, initial) = Moved(method);
        var grads = PenaltyGradient(learner, method);
        var head = ((Mlp)learner.Network).Head.Weight;
        for (int i = 0; i < head.Size; i++)
            Assert.Equal(0.1f * MathF.Sign(head.Span[i] - initial[head].Span[i]), grads[head].Span[i], 6);
    }

    [Fact]
    public void L2Init_resample_pulls_toward_a_fresh_init_sample_not_theta0()
    {
        var method = new L2InitResample(new L2InitOptions(Lambda: 1f));
        var (learner, initial) = Moved(method);
        var grads = PenaltyGradient(learner, method);
        var fc1 = ((Mlp)learner.Network).NamedParameters().First(p => p.Name == "fc1.weight").Parameter;
        float bound = 1f / MathF.Sqrt(784);
        // θ − φ with φ ~ U(±1/√784): the implied φ lies in the init range and differs from θ₀.
        int differs = 0;
        for (int i = 0; i < fc1.Size; i++)
        {
            float phi = fc1.Span[i] - grads[fc1].Span[i];
            Assert.InRange(phi, -bound - 1e-6f, bound + 1e-6f);
            if (MathF.Abs(phi - initial[fc1].Span[i]) > 1e-6f) differs++;
        }
        Assert.True(differs > fc1.Size * 0.99, $"{differs} of {fc1.Size} coordinates differ from θ₀");
    }

    [Fact]
    public void Invalid_lambdas_are_refused_with_the_option_name()
    {
        Assert.Contains("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => new L2InitOptions(-1)).Message);
    }
}

public class AnchorsTests
{
    [Fact]
    public void The_fused_squared_distance_gives_the_bits_of_the_composed_ops_in_value_and_gradient()
    {
        // Anchors.HalfSquaredDistance computes Σ(θ − a)² as one op (src/Lifelong/Methods/Anchors.cs); the bits of a run
        // under L2 Init must not depend on that, so compare with the tensor-op form it replaced, plus a network gradient
        // that the penalty's gradient is added to.
        var rng = new Rng(3);
        var shapes = new[] { new[] { 37, 5 }, new[] { 5 }, new[] { 300 } };
        var parameters = shapes.Select(s => new Parameter(Tensor.Normal(new Shape(s), 0, 1, rng.Split(string.Join("x", s))))).ToList();
        var anchors = parameters.ToDictionary(p => p, p => Tensor.Normal(p.Shape, 0, 0.3f, rng.Split($"anchor{p.Size}")));
        var upstream = parameters.ToDictionary(p => p, p => Tensor.Normal(p.Shape, 0, 1, rng.Split($"up{p.Size}")));
        const float lambda = 0.0123f;

        Tensor Composed()
        {
            Tensor? total = null;
            foreach (var p in parameters)
            {
                var difference = p - anchors[p];
                var term = (difference * difference).Sum();
                total = total is null ? term : total + term;
            }
            return total! * 0.5f;
        }

        Dictionary<Parameter, float[]> Gradients(Func<Tensor> penalty, out float value)
        {
            foreach (var p in parameters) p.Grad = null;
            var network = parameters.Select(p => (p * upstream[p]).Sum()).Aggregate((a, b) => a + b);
            var loss = penalty() * lambda;
            value = loss.Item();
            (network + loss).Backward();
            return parameters.ToDictionary(p => p, p => p.Grad!.ToArray());
        }

        var fused = Gradients(() => Anchors.HalfSquaredDistance(parameters, anchors), out float fusedValue);
        var composed = Gradients(Composed, out float composedValue);
        Assert.Equal(BitConverter.SingleToInt32Bits(composedValue), BitConverter.SingleToInt32Bits(fusedValue));
        foreach (var p in parameters)
            Assert.Equal(composed[p].Select(BitConverter.SingleToInt32Bits), fused[p].Select(BitConverter.SingleToInt32Bits));
        // And the gradient is λ(θ − a) (to rounding), the regenerative pull.
        var first = parameters[0];
        for (int i = 0; i < first.Size; i++)
            Assert.Equal(lambda * (first.Span[i] - anchors[first].Span[i]) + upstream[first].Span[i], fused[first][i], 5);
    }

    [Fact]
    public void The_fused_squared_distance_is_twice_differentiable()
    {
        // Second-order methods record the backward pass: d²/dθ² of ½(θ − a)² is 1 on the diagonal.
        var p = new Parameter(Tensor.FromArray([1f, -2f, 0.5f], 3));
        var anchors = new Dictionary<Parameter, Tensor> { [p] = Tensor.FromArray([0.5f, 0.5f, 0.5f], 3) };
        var gradient = Autograd.Grad([Anchors.HalfSquaredDistance([p], anchors)], [p], createGraph: true)[0];
        Assert.Equal([0.5f, -2.5f, 0f], gradient.ToArray());
        var second = Autograd.Grad([gradient.Sum()], [p])[0];
        Assert.Equal([1f, 1f, 1f], second.ToArray());
    }
}
