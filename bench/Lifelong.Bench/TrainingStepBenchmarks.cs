using BenchmarkDotNet.Attributes;
using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Bench;

/// <summary>One training step (forward, cross-entropy, backward, optimizer update) of the small models continual-learning
/// runs spend their time in, with the memory diagnoser: the allocated bytes per step are what a pooled, allocation-free
/// steady state would remove.</summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private Mlp _mlp = null!;
    private Optimizer _mlpOptimizer = null!;
    private Tensor _mlpInput = null!;
    private int[] _mlpLabels = [];

    /// <summary>L2 Init's permuted-MNIST step: MLP 784-100-100-10, batch 16, Adam.</summary>
    [GlobalSetup(Target = nameof(MlpAdamStep))]
    public void SetupMlp()
    {
        var rng = new Rng(0);
        _mlp = new Mlp([784, 100, 100, 10], rng.Split("model"));
        _mlpOptimizer = new Adam(_mlp.Parameters(), lr: 1e-3);
        _mlpInput = Tensor.Normal(new Shape(16, 784), 0f, 1f, rng.Split("x"));
        _mlpLabels = [.. Enumerable.Range(0, 16).Select(i => i % 10)];
    }

    [Benchmark]
    public float MlpAdamStep()
    {
        _mlpOptimizer.ZeroGrad();
        var loss = F.CrossEntropy(_mlp.Forward(_mlpInput), _mlpLabels);
        loss.Backward();
        _mlpOptimizer.Step();
        return loss.Item();
    }
}

/// <summary>Conv2d forward and backward on the shapes of the L2 Init paper's CNN and MAML's conv net (im2col + GEMM).</summary>
[MemoryDiagnoser]
public class Conv2dBenchmarks
{
    private Conv2d _conv = null!;
    private Tensor _input = null!;

    /// <summary>Batch, in-channels, out-channels, side: the CNN workload's first layer and a MAML block.</summary>
    [Params("64x1x16x28", "80x32x32x14")]
    public string Layer { get; set; } = "64x1x16x28";

    [GlobalSetup]
    public void Setup()
    {
        int[] p = [.. Layer.Split('x').Select(int.Parse)];
        var rng = new Rng(0);
        _conv = new Conv2d(p[1], p[2], 3, rng.Split("conv"), padding: 1);
        _input = Tensor.Normal(new Shape(p[0], p[1], p[3], p[3]), 0f, 1f, rng.Split("x"));
    }

    [Benchmark]
    public Tensor Forward()
    {
        using (Autograd.NoGrad()) return _conv.Forward(_input);
    }

    [Benchmark]
    public float ForwardBackward()
    {
        _conv.ZeroGrad();
        var loss = _conv.Forward(_input).Sum();
        loss.Backward();
        return loss.Item();
    }
}
