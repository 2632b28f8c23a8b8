using Lifelong.Meta;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Tests.Meta;

public class MetaSgdAnilTests
{
    private static MetaTask ClassificationTask(Rng rng, int ways = 3, int shots = 2, int inputs = 4)
    {
        Tensor Inputs(int n)
        {
            var x = Tensor.Zeros(n, inputs);
            var span = x.Span;
            for (int i = 0; i < span.Length; i++) span[i] = 2f * rng.NextFloat() - 1f;
            return x;
        }
        int[] labels = [.. Enumerable.Range(0, ways * shots).Select(i => i % ways)];
        var x = Inputs(labels.Length);
        return MetaTask.Classification(x, labels, x, labels);   // query = support: adapting must fit the query
    }

    [Fact]
    public void Meta_sgd_step_sizes_get_the_exact_meta_gradient_in_second_and_first_order()
    {
        var model = new Mlp([1, 5, 1], new Rng(3), new MlpOptions(Activation.Tanh));
        var task = Sinusoid.Sample(new Rng(5), support: 5, query: 5);
        var maml = new Maml(model, p => new Sgd(p, lr: 0), new MamlOptions(InnerLr: 0.2f, LearnInnerLr: true));
        Assert.Equal(model.Parameters().Count(), maml.InnerLrs.Count);
        maml.MetaLoss([task]).Backward();

        foreach (var (name, alpha) in maml.InnerLrs)
        {
            for (int i = 0; i < alpha.Size; i++)
            {
                double numeric = CentralDifference.Of(() => maml.MetaLoss([task]).Item(), alpha, i);
                Assert.Equal(numeric, alpha.Grad!.Span[i], 0.01 * Math.Max(1, Math.Abs(numeric)));
            }
        }
        Assert.Contains(maml.InnerLrs.Values, a => a.Grad!.ToArray().Any(g => MathF.Abs(g) > 1e-3f));

        // First order drops the Hessian terms for θ but keeps α in the graph: its gradient is still there.
        var first = new Maml(model, p => new Sgd(p, lr: 0), new MamlOptions(InnerLr: 0.2f, LearnInnerLr: true, FirstOrder: true));
        first.MetaLoss([task]).Backward();
        Assert.Contains(first.InnerLrs.Values, a => a.Grad is { } g && g.ToArray().Any(v => MathF.Abs(v) > 1e-3f));
    }

    [Fact]
    public void Meta_sgd_needs_the_optimizer_factory_and_an_outer_step_moves_the_step_sizes()
    {
        var model = new Mlp([1, 5, 1], new Rng(3));
        Assert.Throws<ArgumentException>(() => new Maml(model, new Sgd(model.Parameters(), lr: 0.1), new MamlOptions(LearnInnerLr: true)));
        var maml = new Maml(model, p => new Adam(p, lr: 1e-2), new MamlOptions(InnerLr: 0.05f, LearnInnerLr: true));
        var before = maml.InnerLrs.Values.Select(a => a.ToArray()).ToList();
        maml.Step([Sinusoid.Sample(new Rng(1)), Sinusoid.Sample(new Rng(2))]);
        Assert.Contains(maml.InnerLrs.Values.Zip(before), pair => !pair.First.ToArray().SequenceEqual(pair.Second));
    }

    [Fact]
    public void Anil_adapts_only_the_head_and_still_meta_trains_the_body()
    {
        var model = new Mlp([4, 6, 3], new Rng(7));
        var task = ClassificationTask(new Rng(8));
        var maml = new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(InnerLr: 0.5f, AdaptOnly: "head"));
        var fast = maml.Adapt(task, steps: 2, createGraph: true);
        foreach (var (name, parameter) in model.NamedParameters())
            if (name.StartsWith("head", StringComparison.Ordinal)) Assert.NotSame(parameter, fast[name]);
            else Assert.Same(parameter, fast[name]);

        model.ZeroGrad();
        maml.MetaLoss([task]).Backward();
        var body = model.NamedParameters().First(p => p.Name == "fc1.weight").Parameter;
        Assert.True(body.Grad!.ToArray().Any(g => MathF.Abs(g) > 1e-6f), "the body gets the outer gradient");
        Assert.Throws<ArgumentException>(() => new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(AdaptOnly: "nothing")));
    }

    [Fact]
    public void A_classification_task_uses_cross_entropy_and_adaptation_lowers_it()
    {
        var model = new Mlp([4, 8, 3], new Rng(2));
        var task = ClassificationTask(new Rng(4));
        var maml = new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(InnerLr: 0.5f));
        float unadapted;
        using (Autograd.NoGrad()) unadapted = F.CrossEntropy(model.Forward(task.QueryX), task.QueryLabels!).Item();
        Assert.Equal(unadapted, maml.Evaluate(task, steps: 0), 6);
        Assert.True(maml.Evaluate(task, steps: 5) < unadapted);
        Assert.True(maml.Evaluate(task, steps: 100) < 0.2f * unadapted, $"{maml.Evaluate(task, steps: 100)} vs {unadapted}");
        Assert.Equal(1.0, maml.Accuracy(task, steps: 100));
    }
}
