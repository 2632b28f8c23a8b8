using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Tensors;

namespace Lifelong.Tests.Pretrained;

public class PretrainedCheckpointTrustTests
{
    private static Mlp Network(ulong seed = 1) => new([784, 16, 10], new Rng(seed));

    [Fact]
    public void Nan_weights_are_refused_naming_the_file_and_the_tensor_and_nothing_is_loaded()
    {
        using var folder = new TestData.TempFolder();
        string path = Path.Combine(folder.Path, "broken.safetensors");
        var state = Network().StateDict();
        var values = state["fc1.weight"].ToArray();
        values[123] = float.NaN;
        state["fc1.weight"] = Tensor.FromArray(values, 16, 784);
        SafeTensors.Save(path, state);   // a valid file, with matching checksums, of broken weights

        var target = Network(seed: 2);
        var before = target.StateDict();
        var e = Assert.Throws<InvalidDataException>(() => PretrainedCheckpoint.Load(target, path));
        Assert.StartsWith($"{path}: tensor 'fc1.weight' holds 1 non-finite value of 12,544 (the first, at index 123, is NaN)", e.Message);
        Assert.Equal(before["head.bias"].ToArray(), target.StateDict()["head.bias"].ToArray());
    }

    [Fact]
    public void A_damaged_file_is_refused_naming_the_tensor()
    {
        using var folder = new TestData.TempFolder();
        string path = Path.Combine(folder.Path, "model.safetensors");
        PretrainedCheckpoint.Save(Network(), path);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;   // inside the last tensor's data: head.bias
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => PretrainedCheckpoint.Load(Network(), path));
        Assert.Contains("tensor 'head.bias'", e.Message);
        Assert.Contains("make it again (lifelong pretrain)", e.Message);
    }

    [Fact]
    public void Diverged_weights_are_not_saved()
    {
        using var folder = new TestData.TempFolder();
        string path = Path.Combine(folder.Path, "diverged.safetensors");
        var network = Network();
        network.NamedParameters().Single(p => p.Name == "head.weight").Parameter.Span[5] = float.PositiveInfinity;

        var e = Assert.Throws<InvalidDataException>(() => PretrainedCheckpoint.Save(network, path));
        Assert.Contains("not saved: parameter 'head.weight' holds NaN or infinite values", e.Message);
        Assert.False(File.Exists(path));
    }
}
