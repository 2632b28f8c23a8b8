using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class ModuleTests
{
    private sealed class Scaled : Module
    {
        public Scaled(Rng rng)
        {
            AddParameter("scale", new Parameter(Tensor.Ones(3)));
            AddBuffer("running_mean", Tensor.Zeros(3));
            AddModule("inner", new Sequential(new Linear(3, 4, rng.Split("a")), new ReLU(), new Linear(4, 3, rng.Split("b"))));
            AddModule("norm", new LayerNorm(3));
        }

        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void Nested_model_lists_own_parameters_then_children_in_registration_order()
    {
        var model = new Scaled(new Rng(1));
        string[] expected = ["scale", "inner.0.weight", "inner.0.bias", "inner.2.weight", "inner.2.bias", "norm.weight", "norm.bias"];
        Assert.Equal(expected, model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean"], model.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["", "inner", "inner.0", "inner.1", "inner.2", "norm"], model.NamedModules().Select(m => m.Name));
        Assert.Equal(2, model.Children().Count());
        Assert.Equal(3 + 12 + 4 + 12 + 3 + 3 + 3, model.ParameterCount);
    }

    [Fact]
    public void Vit_parameter_names_equal_timm_for_depth_two()
    {
        var vit = new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 3, Dim: 8, Depth: 2, Heads: 2, Classes: 5), new Rng(0));
        var expected = new List<string> { "cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias" };
        for (int i = 0; i < 2; i++)
            foreach (var suffix in new[] { "norm1.weight", "norm1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias", "norm2.weight", "norm2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias" })
                expected.Add($"blocks.{i}.{suffix}");
        expected.AddRange(["norm.weight", "norm.bias", "head.weight", "head.bias"]);
        Assert.Equal(expected, vit.NamedParameters().Select(p => p.Name));

        var shapes = vit.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal(new Shape(1, 1, 8), shapes["cls_token"]);
        Assert.Equal(new Shape(1, 5, 8), shapes["pos_embed"]);                  // 1 + (8/4)² tokens
        Assert.Equal(new Shape(8, 3, 4, 4), shapes["patch_embed.proj.weight"]);
        Assert.Equal(new Shape(24, 8), shapes["blocks.1.attn.qkv.weight"]);
        Assert.Equal(new Shape(32, 8), shapes["blocks.0.mlp.fc1.weight"]);
        Assert.Equal(new Shape(5, 8), shapes["head.weight"]);
    }

    [Fact]
    public void Mlp_names_hidden_layers_fc_and_norm_and_the_output_head()
    {
        var mlp = new Mlp([6, 5, 4, 3], new Rng(0), new MlpOptions(Activation.CRelu, LayerNorm: true));
        Assert.Equal(
            ["fc1.weight", "fc1.bias", "norm1.weight", "norm1.bias", "fc2.weight", "fc2.bias", "norm2.weight", "norm2.bias", "head.weight", "head.bias"],
            mlp.NamedParameters().Select(p => p.Name));
        // CReLU doubles the width each following layer sees.
        Assert.Equal(new Shape(4, 10), mlp.NamedParameters().Single(p => p.Name == "fc2.weight").Parameter.Shape);
        Assert.Equal(new Shape(3, 8), mlp.Head.Weight.Shape);
    }

    private sealed class Registers : Module
    {
        public Registers(string first, string second)
        {
            AddParameter(first, new Parameter(1));
            AddBuffer(second, Tensor.Zeros(1));
        }

        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void Registering_a_name_twice_or_a_dotted_name_is_refused()
    {
        Assert.Contains("already registered", Assert.Throws<ArgumentException>(() => new Registers("w", "w")).Message);
        Assert.Contains("'a.b'", Assert.Throws<ArgumentException>(() => new Registers("a.b", "c")).Message);
    }

    [Fact]
    public void Train_and_eval_propagate_to_every_descendant()
    {
        var model = new Scaled(new Rng(0));
        model.Eval();
        Assert.All(model.NamedModules(), m => Assert.False(m.Module.IsTraining));
        model.Train();
        Assert.All(model.NamedModules(), m => Assert.True(m.Module.IsTraining));
    }

    [Fact]
    public void Zero_grad_clears_every_gradient()
    {
        var model = new Linear(3, 2, new Rng(0));
        model.Forward(Tensor.Ones(4, 3)).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Snapshot_is_detached_and_does_not_follow_later_updates()
    {
        var model = new Linear(3, 2, new Rng(0));
        var snapshot = model.Snapshot();
        var before = model.Weight.ToArray();
        using (Autograd.NoGrad()) model.Weight.Span.Fill(7f);
        Assert.Equal(before, snapshot[model.Weight].ToArray());
        Assert.False(snapshot[model.Weight].RequiresGrad);
        Assert.Equal(2, snapshot.Count);
    }

    [Fact]
    public void Parameter_copies_its_source_and_requires_grad()
    {
        var source = Tensor.FromArray([1f, 2f]);
        var parameter = new Parameter(source);
        source.Span[0] = 9f;
        Assert.Equal([1f, 2f], parameter.ToArray());
        Assert.True(parameter.RequiresGrad);
        Assert.True(parameter.IsLeaf);
    }
}
