using Lifelong.Tensors;

namespace Lifelong.NN.Tests;

public class ModelTests
{
    [Fact]
    public void Mlp_exposes_each_hidden_post_activation()
    {
        var mlp = new Mlp([6, 5, 4, 3], new Rng(0), new MlpOptions(Activation.CRelu, LayerNorm: true));
        var x = Tensor.Normal(new Shape(7, 6), 0f, 1f, new Rng(1));
        var result = mlp.ForwardWithFeatures(x);
        Assert.Equal(["fc1", "fc2"], mlp.HiddenLayerNames);
        Assert.Equal(new Shape(7, 3), result.Output.Shape);
        Assert.Equal([new Shape(7, 10), new Shape(7, 8)], result.Hidden.Select(h => h.Shape));
        Assert.All(result.Hidden, h => Assert.All(h.ToArray(), v => Assert.True(v >= 0f)));
        Assert.Equal(result.Output.ToArray(), mlp.Forward(x).ToArray());
    }

    [Fact]
    public void Cnn_has_the_l2_init_architecture_on_28_by_28_images()
    {
        var cnn = new Cnn(inChannels: 1, imageSize: 28, classes: 10, new Rng(0));
        // 28 → conv5 24 → pool 12 → conv5 8 → pool 4: 16·4·4 = 256 inputs to fc1.
        var shapes = cnn.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal(new Shape(16, 1, 5, 5), shapes["conv1.weight"]);
        Assert.Equal(new Shape(16, 16, 5, 5), shapes["conv2.weight"]);
        Assert.Equal(new Shape(100, 256), shapes["fc1.weight"]);
        Assert.Equal(new Shape(100, 100), shapes["fc2.weight"]);
        Assert.Equal(new Shape(10, 100), shapes["head.weight"]);

        var result = cnn.ForwardWithFeatures(Tensor.Normal(new Shape(2, 1, 28, 28), 0f, 1f, new Rng(1)));
        Assert.Equal(new Shape(2, 10), result.Output.Shape);
        Assert.Equal(["conv1", "conv2", "fc1", "fc2"], cnn.HiddenLayerNames);
        Assert.Equal([new Shape(2, 16, 24, 24), new Shape(2, 16, 8, 8), new Shape(2, 100), new Shape(2, 100)], result.Hidden.Select(h => h.Shape));
    }

    [Fact]
    public void Cnn_with_crelu_doubles_the_channels_and_widths_that_follow()
    {
        var cnn = new Cnn(3, 12, 4, new Rng(0), new CnnOptions(Channels: 4, KernelSize: 3, Hidden: [6], Activation: Activation.CRelu));
        // 12 → 10 → 5 → 3 → 1; conv2 sees 8 channels, fc1 sees 8·1·1.
        var shapes = cnn.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);
        Assert.Equal(new Shape(4, 8, 3, 3), shapes["conv2.weight"]);
        Assert.Equal(new Shape(6, 8), shapes["fc1.weight"]);
        Assert.Equal(new Shape(4, 12), shapes["head.weight"]);
        Assert.Equal(new Shape(2, 4), cnn.Forward(Tensor.Zeros(2, 3, 12, 12)).Shape);
    }

    [Fact]
    public void Vit_classifies_from_the_class_token_after_the_final_norm()
    {
        var vit = new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 3, Dim: 8, Depth: 2, Heads: 2, Classes: 5), new Rng(0));
        var x = Tensor.Normal(new Shape(2, 3, 8, 8), 0f, 1f, new Rng(1));
        var features = vit.ForwardFeatures(x);
        Assert.Equal(new Shape(2, 5, 8), features.Shape);
        var preLogits = vit.ForwardPreLogits(x);
        Assert.Equal(new Shape(2, 8), preLogits.Shape);
        Approx.Equal(features.Select(1, 0), preLogits, 0f);
        Approx.Equal(vit.Head.Forward(preLogits), vit.Forward(x), 0f);

        // By hand: tokens = [cls; patches] + pos_embed, then the blocks and the final norm.
        var tokens = TensorMath.Concat([vit.ClsToken!.Expand(2, 1, 8), vit.PatchEmbed.Forward(x)], 1) + vit.PosEmbed;
        foreach (var block in vit.Blocks) tokens = block.Forward(tokens);
        Approx.Equal(vit.Norm.Forward(tokens), features, 1e-6f);
        Assert.Equal(1e-6f, vit.Norm.Eps);
    }

    [Fact]
    public void Vit_without_class_token_pools_the_mean_token()
    {
        var vit = new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 1, Dim: 8, Depth: 1, Heads: 2, ClassToken: false, Classes: 3), new Rng(0));
        Assert.DoesNotContain(vit.NamedParameters(), p => p.Name == "cls_token");
        Assert.Equal(new Shape(1, 4, 8), vit.PosEmbed.Shape);
        var x = Tensor.Normal(new Shape(2, 1, 8, 8), 0f, 1f, new Rng(1));
        Approx.Equal(vit.ForwardFeatures(x).Mean(1), vit.ForwardPreLogits(x), 0f);
    }
}
