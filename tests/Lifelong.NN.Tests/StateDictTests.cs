using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class StateDictTests
{
    private sealed class WithBuffer : Module
    {
        public WithBuffer(Rng rng, int width = 3)
        {
            AddModule("fc", new Linear(width, 2, rng));
            AddBuffer("count", Tensor.Zeros(1));
        }

        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void State_dict_round_trips_parameters_and_buffers_in_order()
    {
        var source = new WithBuffer(new Rng(1));
        using (Autograd.NoGrad()) source.NamedBuffers().Single().Buffer.Span[0] = 5f;
        var state = source.StateDict();
        Assert.Equal(["fc.weight", "fc.bias", "count"], state.Keys);

        var target = new WithBuffer(new Rng(2));
        var result = target.LoadStateDict(state);
        Assert.True(result.IsExact);
        Assert.Equal(source.StateDict().Values.Select(t => t.ToArray()), target.StateDict().Values.Select(t => t.ToArray()));
    }

    [Fact]
    public void State_dict_holds_copies_not_views()
    {
        var model = new WithBuffer(new Rng(1));
        var state = model.StateDict();
        state["fc.weight"].Span.Fill(3f);
        Assert.DoesNotContain(3f, model.StateDict()["fc.weight"].ToArray());
    }

    [Fact]
    public void Strict_load_names_every_missing_and_unexpected_key()
    {
        var model = new WithBuffer(new Rng(1));
        var state = model.StateDict();
        state.Remove("fc.bias");
        state.Remove("count");
        state.Add("fc.extra", Tensor.Zeros(2));
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("fc.bias", error.Message);
        Assert.Contains("count", error.Message);
        Assert.Contains("fc.extra", error.Message);
    }

    [Fact]
    public void Non_strict_load_reports_missing_and_unexpected_keys_and_loads_the_rest()
    {
        var model = new WithBuffer(new Rng(1));
        var state = new WithBuffer(new Rng(2)).StateDict();
        state.Remove("fc.bias");
        state.Add("head.weight", Tensor.Zeros(1));
        var biasBefore = model.StateDict()["fc.bias"].ToArray();

        var result = model.LoadStateDict(state, strict: false);
        Assert.Equal(["fc.bias"], result.MissingKeys);
        Assert.Equal(["head.weight"], result.UnexpectedKeys);
        Assert.Equal(state["fc.weight"].ToArray(), model.StateDict()["fc.weight"].ToArray());
        Assert.Equal(biasBefore, model.StateDict()["fc.bias"].ToArray());
    }

    [Fact]
    public void Shape_mismatch_is_refused_even_when_not_strict_and_names_both_shapes()
    {
        var model = new WithBuffer(new Rng(1));
        var before = model.StateDict()["fc.weight"].ToArray();
        var state = new WithBuffer(new Rng(2), width: 5).StateDict();
        foreach (bool strict in new[] { true, false })
        {
            var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state, strict));
            Assert.Contains("fc.weight", error.Message);
            Assert.Contains("(2, 5)", error.Message);
            Assert.Contains("(2, 3)", error.Message);
        }
        Assert.Equal(before, model.StateDict()["fc.weight"].ToArray());
    }
}
