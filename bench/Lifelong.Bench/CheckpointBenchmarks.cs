using System.IO.Hashing;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Bench;

/// <summary>What the checksums cost a run checkpoint: the tensors of L2 Init's permuted-MNIST MLP (784-100-100-10,
/// 89,610 parameters) with θ₀ and Adam's two moments, 358,440 floats (1.4 MB), encoded and decoded in memory (the disk's
/// write and fsync, which a real checkpoint adds, are left out so the overhead is not diluted), beside the checksums and
/// the finiteness check alone.</summary>
[MemoryDiagnoser]
public class CheckpointBenchmarks
{
    private List<KeyValuePair<string, Tensor>> _tensors = [];
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(0);
        var mlp = new Mlp([784, 100, 100, 10], rng.Split("model"));
        var adam = new Adam(mlp.Parameters(), lr: 1e-3);
        var loss = F.CrossEntropy(mlp.Forward(Tensor.Normal(new Shape(16, 784), 0f, 1f, rng.Split("x"))), [.. Enumerable.Range(0, 16).Select(i => i % 10)]);
        loss.Backward();
        adam.Step();
        _tensors = [.. mlp.StateDict().Select(p => KeyValuePair.Create("model." + p.Key, p.Value)),
            .. mlp.StateDict().Select(p => KeyValuePair.Create("init." + p.Key, p.Value)),
            .. adam.StateDict().Tensors.Select(p => KeyValuePair.Create("optimizer." + p.Key, p.Value))];
        _bytes = SafeTensors.Serialize(_tensors);
    }

    /// <summary>Encoding, with the checksums of every tensor and of the metadata.</summary>
    [Benchmark]
    public int Save() => SafeTensors.Serialize(_tensors).Length;

    /// <summary>Decoding, with every checksum verified.</summary>
    [Benchmark]
    public int Load() => SafeTensors.Deserialize(_bytes).Tensors.Count;

    /// <summary>XXH3-64 over every tensor's bytes: the checksums' share of <see cref="Save"/> and of <see cref="Load"/>.</summary>
    [Benchmark]
    public ulong ChecksumsAlone()
    {
        ulong sum = 0;
        foreach (var (_, tensor) in _tensors) sum ^= XxHash3.HashToUInt64(MemoryMarshal.AsBytes(tensor.Span));
        return sum;
    }

    /// <summary>The NaN/∞ check a run checkpoint's load adds.</summary>
    [Benchmark]
    public int FiniteCheck()
    {
        SafeTensors.RequireFinite(_tensors, "bench");
        return _tensors.Count;
    }
}
