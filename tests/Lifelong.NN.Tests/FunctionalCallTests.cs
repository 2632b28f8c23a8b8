using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class FunctionalCallTests
{
    private static readonly Rng Data = new(42);
    private static readonly Tensor SupportX = Tensor.Normal(new Shape(6, 3), 0f, 1f, Data.Split("sx"));
    private static readonly Tensor SupportY = Tensor.Normal(new Shape(6, 2), 0f, 1f, Data.Split("sy"));
    private static readonly Tensor QueryX = Tensor.Normal(new Shape(5, 3), 0f, 1f, Data.Split("qx"));
    private static readonly Tensor QueryY = Tensor.Normal(new Shape(5, 2), 0f, 1f, Data.Split("qy"));
    private const float InnerLr = 0.5f;

    private static Mlp NewModel() => new([3, 8, 2], new Rng(7), new MlpOptions(Activation.Tanh));

    private static Dictionary<string, Tensor> Perturbed(Module model, float scale, int seed) =>
        model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Detach() + Tensor.Normal(p.Parameter.Shape, 0f, scale, new Rng((ulong)seed).Split(p.Name)));

    [Fact]
    public void Call_leaves_the_modules_own_parameters_unchanged()
    {
        var model = NewModel();
        var before = model.StateDict();
        var substitutes = Perturbed(model, 0.3f, 1);
        foreach (var t in substitutes.Values) t.RequiresGrad = true;
        model.Call(QueryX, substitutes).Sum().Backward();
        Assert.All(substitutes.Values, t => Assert.NotNull(t.Grad));
        Assert.Equal(before.Values.Select(t => t.ToArray()), model.StateDict().Values.Select(t => t.ToArray()));
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));   // nothing flowed to the unused originals
    }

    [Fact]
    public void Call_equals_a_forward_with_the_parameters_actually_replaced()
    {
        var model = NewModel();
        var substitutes = Perturbed(model, 0.3f, 2);
        substitutes.Remove("fc1.bias");   // not given: the module's own is used

        var called = model.Call(QueryX, substitutes);

        var replaced = NewModel();
        replaced.LoadStateDict(substitutes, strict: false);
        Approx.Equal(replaced.Forward(QueryX), called, 1e-6f);
        Assert.NotEqual(model.Forward(QueryX).ToArray(), called.ToArray());
    }

    public static TheoryData<string> Models => ["mlp", "cnn", "vit"];

    private static (Module Model, Tensor Input) NewModel(string kind) => kind switch
    {
        "mlp" => (new Mlp([3, 8, 8, 2], new Rng(7), new MlpOptions(Activation.Gelu, LayerNorm: true)), QueryX),
        "cnn" => (new Cnn(1, 12, 3, new Rng(7), new CnnOptions(Channels: 4, KernelSize: 3, Hidden: [8])), Tensor.Normal(new Shape(2, 1, 12, 12), 0f, 1f, new Rng(8))),
        _ => (new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 1, Dim: 8, Depth: 2, Heads: 2, Classes: 3), new Rng(7)), Tensor.Normal(new Shape(2, 1, 8, 8), 0f, 1f, new Rng(8))),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_layer_of_every_model_reads_its_parameters_through_the_substitution(string kind)
    {
        var (model, x) = NewModel(kind);
        var substitutes = Perturbed(model, 0.3f, 5);
        var (replaced, _) = NewModel(kind);
        replaced.LoadStateDict(substitutes);
        Approx.Equal(replaced.Forward(x), model.Call(x, substitutes), 1e-6f);
    }

    [Fact]
    public void Substitution_ends_with_the_call_and_unknown_names_are_refused()
    {
        var model = NewModel();
        var plain = model.Forward(QueryX).ToArray();
        model.Call(QueryX, Perturbed(model, 0.3f, 3));
        Assert.Equal(plain, model.Forward(QueryX).ToArray());

        var error = Assert.Throws<ArgumentException>(() => model.Call(QueryX, new Dictionary<string, Tensor> { ["fc9.weight"] = Tensor.Zeros(1) }));
        Assert.Contains("fc9.weight", error.Message);
    }

    /// MAML's objective f(θ) = L_query(θ − α∇L_support(θ)), evaluated through <see cref="Module.Call"/>.
    private static (Tensor Loss, Dictionary<string, Tensor> Fast) MamlObjective(Mlp model, Dictionary<string, Tensor> theta, bool createGraph)
    {
        var names = theta.Keys.ToArray();
        var inner = F.Mse(model.Call(SupportX, theta), SupportY);
        var grads = Autograd.Grad(inner, [.. names.Select(n => theta[n])], createGraph);
        var fast = names.Select((n, i) => (n, theta[n] - grads[i] * InnerLr)).ToDictionary(p => p.n, p => p.Item2);
        return (F.Mse(model.Call(QueryX, fast), QueryY), fast);
    }

    [Fact]
    public void Gradients_flow_through_substituted_fast_weights_to_the_originals_to_second_order()
    {
        var model = NewModel();
        var theta = model.NamedParameters().ToDictionary(p => p.Name, p => (Tensor)p.Parameter);
        var parameters = model.Parameters().ToArray();

        var (outer, fast) = MamlObjective(model, theta, createGraph: true);
        var toFast = Autograd.Grad([outer], [.. fast.Values], createGraph: true);
        var exact = Autograd.Grad(outer, parameters);
        Assert.All(toFast, g => Assert.True(g.Abs().Sum().Item() > 0f));

        // First-order MAML would stop at ∂L/∂θ'; the exact gradient adds −α·H·∂L/∂θ', which must matter here.
        Assert.True(Approx.RelativeError(exact, toFast) > 0.05, "the second-order term is too small to test");

        // ⟨∇f(θ), v⟩ against the central difference (f(θ + hv) − f(θ − hv)) / 2h.
        var rng = new Rng(11);
        var v = parameters.Select(p => Tensor.Normal(p.Shape, 0f, 1f, rng)).ToArray();
        float norm = MathF.Sqrt(v.Sum(t => (t * t).Sum().Item()));
        v = [.. v.Select(t => t / norm)];
        // A unit step direction and h = 1e-2: smaller steps drown in float32 rounding of f (~1e-6 / 2h), larger ones in curvature.
        const float h = 1e-2f;
        float Objective(float sign)
        {
            var shifted = model.NamedParameters().Select((p, i) => (p.Name, T: p.Parameter.Detach() + v[i] * (sign * h)))
                .ToDictionary(p => p.Name, p => { p.T.RequiresGrad = true; return p.T; });
            return MamlObjective(model, shifted, createGraph: false).Loss.Item();
        }
        double finiteDifference = (Objective(1f) - Objective(-1f)) / (2.0 * h);
        double analytic = exact.Select((g, i) => (double)(g * v[i]).Sum().Item()).Sum();
        double firstOrder = toFast.Select((g, i) => (double)(g * v[i]).Sum().Item()).Sum();
        Assert.True(Math.Abs(analytic - finiteDifference) < 3e-2 * Math.Abs(finiteDifference), $"exact {analytic} vs finite difference {finiteDifference}");
        Assert.True(Math.Abs(firstOrder - finiteDifference) > 5 * Math.Abs(analytic - finiteDifference), $"first order {firstOrder} is as close as exact {analytic} to {finiteDifference}");
    }

    [Fact]
    public void Nested_substitution_scopes_restore_the_outer_one()
    {
        var model = NewModel();
        var outer = Perturbed(model, 0.3f, 4);
        var inner = new Dictionary<string, Tensor> { ["head.bias"] = Tensor.Full(new Shape(2), 5f) };
        float[] expectedOuter = model.Call(QueryX, outer).ToArray();
        using (model.Substitute(outer))
        {
            using (model.Substitute(inner))
            {
                var both = new Dictionary<string, Tensor>(outer) { ["head.bias"] = inner["head.bias"] };
                Assert.Equal(NewModelWith(both).Forward(QueryX).ToArray(), model.Forward(QueryX).ToArray());
            }
            Assert.Equal(expectedOuter, model.Forward(QueryX).ToArray());
        }
    }

    private static Mlp NewModelWith(IReadOnlyDictionary<string, Tensor> state)
    {
        var model = NewModel();
        model.LoadStateDict(state);
        return model;
    }
}
