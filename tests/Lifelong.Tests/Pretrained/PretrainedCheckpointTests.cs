using Lifelong.Catalog;
using Lifelong.Data;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class PretrainedCheckpointTests
{
    /// <summary>The state dict of timm's <c>VisionTransformer</c> (global_pool='token', class token, no fc_norm), written out by hand
    /// from timm's module structure — not from our model — with the shapes timm gives them.</summary>
    private static OrderedDictionary<string, Tensor> TimmVitStateDict(int image, int patch, int channels, int dim, int depth, int mlpHidden, int classes, ulong seed)
    {
        var rng = new Rng(seed);
        int tokens = (image / patch) * (image / patch) + 1;
        var shapes = new List<(string, int[])>
        {
            ("cls_token", [1, 1, dim]), ("pos_embed", [1, tokens, dim]),
            ("patch_embed.proj.weight", [dim, channels, patch, patch]), ("patch_embed.proj.bias", [dim]),
        };
        for (int b = 0; b < depth; b++)
            shapes.AddRange(
            [
                ($"blocks.{b}.norm1.weight", [dim]), ($"blocks.{b}.norm1.bias", [dim]),
                ($"blocks.{b}.attn.qkv.weight", [3 * dim, dim]), ($"blocks.{b}.attn.qkv.bias", [3 * dim]),
                ($"blocks.{b}.attn.proj.weight", [dim, dim]), ($"blocks.{b}.attn.proj.bias", [dim]),
                ($"blocks.{b}.norm2.weight", [dim]), ($"blocks.{b}.norm2.bias", [dim]),
                ($"blocks.{b}.mlp.fc1.weight", [mlpHidden, dim]), ($"blocks.{b}.mlp.fc1.bias", [mlpHidden]),
                ($"blocks.{b}.mlp.fc2.weight", [dim, mlpHidden]), ($"blocks.{b}.mlp.fc2.bias", [dim]),
            ]);
        shapes.AddRange([("norm.weight", [dim]), ("norm.bias", [dim]), ("head.weight", [classes, dim]), ("head.bias", [classes])]);
        var state = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, shape) in shapes)
        {
            var t = Tensor.Zeros(shape);
            rng.Split(name).FillNormal(t.Span, 0f, 1f);
            state[name] = t;
        }
        return state;
    }

    private static Vit SmallVit(int classes = 10, int depth = 2, int dim = 16) =>
        new(new VitOptions(ImageSize: 28, PatchSize: 7, InChannels: 1, Dim: dim, Depth: depth, Heads: 2, MlpRatio: 2, ClassToken: true, Classes: classes), new Rng(1));

    [Fact]
    public void A_timm_layout_vit_checkpoint_loads_by_name()
    {
        using var folder = new TestData.TempFolder();
        string path = folder.File("timm.safetensors");
        var timm = TimmVitStateDict(image: 28, patch: 7, channels: 1, dim: 16, depth: 2, mlpHidden: 32, classes: 10, seed: 4);
        SafeTensors.Save(path, timm, new Dictionary<string, string> { ["format"] = "pt" });

        var vit = SmallVit();
        var load = PretrainedCheckpoint.Load(vit, path);

        Assert.Empty(load.HeadKept);
        Assert.Equal(timm.Count, load.Loaded.Count);
        foreach (var (name, parameter) in vit.NamedParameters()) Assert.Equal(timm[name].ToArray(), parameter.ToArray());
    }

    [Fact]
    public void A_checkpoint_with_another_head_loads_the_backbone_and_keeps_the_head()
    {
        var timm = TimmVitStateDict(28, 7, 1, 16, 2, 32, classes: 1000, seed: 4);
        var vit = SmallVit(classes: 4);
        var head = vit.Head.Weight.ToArray();
        var load = PretrainedCheckpoint.Load(vit, timm, "imagenet-head");
        Assert.Equal(["head.weight", "head.bias"], load.HeadKept);
        Assert.Equal(head, vit.Head.Weight.ToArray());
        Assert.Equal(timm["blocks.1.mlp.fc2.weight"].ToArray(), vit.Blocks[1].NamedParameters().Single(p => p.Name == "mlp.fc2.weight").Parameter.ToArray());
    }

    [Fact]
    public void A_mismatched_checkpoint_is_refused_with_every_difference_named_and_nothing_loaded()
    {
        var deeper = TimmVitStateDict(28, 7, 1, dim: 24, depth: 3, mlpHidden: 48, classes: 10, seed: 4);
        var vit = SmallVit();
        var before = vit.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => PretrainedCheckpoint.Load(vit, deeper, "vit-wide.safetensors"));

        Assert.Contains("checkpoint 'vit-wide.safetensors' does not fit this Vit", error.Message, StringComparison.Ordinal);
        Assert.Contains("'pos_embed' is (1, 17, 24) in the file, (1, 17, 16) in the model", error.Message, StringComparison.Ordinal);
        Assert.Contains("'blocks.2.norm1.weight' (24,) is in the file but not in the model", error.Message, StringComparison.Ordinal);
        Assert.Contains("24 more like these", error.Message, StringComparison.Ordinal);
        Assert.All(vit.NamedParameters(), p => Assert.Equal(before[p.Name], p.Parameter.ToArray()));
    }

    [Fact]
    public void A_model_spec_with_checkpoint_loads_it_and_a_missing_parameter_is_a_configuration_error()
    {
        using var folder = new TestData.TempFolder();
        var source = new Mlp([784, 32, 10], new Rng(3));
        string path = folder.File("mlp.safetensors");
        PretrainedCheckpoint.Save(source, path, new Dictionary<string, string> { ["lifelong.model"] = "mlp:32" });

        var entry = ModelCatalog.Get("mlp");
        var loaded = entry.Create(ComponentSpec.Parse($"mlp:32,checkpoint={path}", "model"), new ImageShape(1, 28, 28), 5, new Rng(9));
        Assert.Equal(source.NamedParameters().Single(p => p.Name == "fc1.weight").Parameter.ToArray(), loaded.NamedParameters().Single(p => p.Name == "fc1.weight").Parameter.ToArray());

        var error = Assert.Throws<ConfigurationException>(() => entry.Create(ComponentSpec.Parse($"mlp:32x32,checkpoint={path}", "model"), new ImageShape(1, 28, 28), 5, new Rng(9)));
        Assert.Contains("'fc2.weight' (32, 32) is missing from the file", error.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigurationException>(() => entry.Create(ComponentSpec.Parse($"mlp:32,checkpoint={folder.File("absent.safetensors")}", "model"), new ImageShape(1, 28, 28), 5, new Rng(9)));
    }

    [Fact]
    public void Pretraining_fits_the_source_classes_and_saves_what_loads_back()
    {
        var data = TestData.Mnistlike(trainPerClass: 20, testPerClass: 5);   // pixel 0 encodes the label
        var network = new Mlp([784, 32, 10], new Rng(2));
        var result = Pretraining.Train(network, data, flatInputs: true, new PretrainOptions(Steps: 150, BatchSize: 16, Lr: 3e-3f, Classes: [5, 6, 7, 8, 9]), new Rng(3));
        Assert.Equal(100, result.TrainImages);
        // 100 images of random pixels with the label in pixel 0: the MLP memorises them (initial loss ≈ ln 10 = 2.3).
        Assert.True(result.FinalLoss < 1.2, $"final loss {result.FinalLoss}");
        Assert.InRange(result.TestAccuracy, 0, 1);

        using var folder = new TestData.TempFolder();
        PretrainedCheckpoint.Save(network, folder.File("m.safetensors"));
        var copy = new Mlp([784, 32, 10], new Rng(99));
        PretrainedCheckpoint.Load(copy, folder.File("m.safetensors"));
        Assert.All(copy.NamedParameters().Zip(network.NamedParameters()), pair => Assert.Equal(pair.Second.Parameter.ToArray(), pair.First.Parameter.ToArray()));
    }
}
