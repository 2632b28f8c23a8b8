using Lifelong.NN;
using Lifelong.Tensors;

namespace Lifelong.Cli.Bench;

/// <summary>One benchmark workload: a step to time and, for a GEMM, its floating-point operations.</summary>
/// <param name="Name">The workload's name, as in <c>../shared/bench/torch_reference.py</c>.</param>
/// <param name="Step">One training step (forward, backward, update), or one multiply.</param>
/// <param name="Flops">Operations per step for GEMM workloads (2·m·k·n), else null.</param>
public sealed record BenchWorkload(string Name, Action Step, double? Flops = null);

/// <summary>The fixed workloads of <c>lifelong bench</c>, defined exactly as in the PyTorch reference script so the two
/// can be compared: same models, batch sizes, optimizer (SGD lr 0.01; Adam 1e-3 outside MAML), inputs uniform in [0, 1),
/// labels uniform in 0..9, default initialisation.</summary>
public static class BenchWorkloads
{
    /// <summary>All workloads, in the reference script's order.</summary>
    public static IEnumerable<(string Name, Func<BenchWorkload> Build)> All()
    {
        yield return ("mlp-100x2-b16", () => Train("mlp-100x2-b16", new Mlp([784, 100, 100, 10], new Rng(1)), [16, 784]));
        yield return ("mlp-256x2-b128", () => Train("mlp-256x2-b128", new Mlp([784, 256, 256, 10], new Rng(1)), [128, 784]));
        yield return ("mlp-1000x2-b256", () => Train("mlp-1000x2-b256", new Mlp([784, 1000, 1000, 10], new Rng(1)), [256, 784]));
        yield return ("mlp-256x2-ln-b128", () => Train("mlp-256x2-ln-b128", new Mlp([784, 256, 256, 10], new Rng(1), new MlpOptions(LayerNorm: true)), [128, 784]));
        yield return ("cnn-b64", () => Train("cnn-b64", ReferenceCnn(new Rng(1)), [64, 1, 28, 28]));
        yield return ("vit-d64-b64", () => Train("vit-d64-b64", new Vit(new VitOptions(ImageSize: 28, PatchSize: 7, InChannels: 1, Dim: 64, Depth: 2, Heads: 4, MlpRatio: 2, Classes: 10), new Rng(1)), [64, 1, 28, 28]));
        yield return ("maml2-mlp-40x2", () => Maml());
        yield return ("gemm-128x784x256", () => Gemm(128, 784, 256));
        yield return ("gemm-1024", () => Gemm(1024, 1024, 1024));
    }

    /// <summary>The reference script's CNN: conv 3×3 1→32 (pad 1), ReLU, max-pool 2; conv 3×3 32→64 (pad 1), ReLU, max-pool 2; FC 3136→128, ReLU; FC 128→10.</summary>
    public static Module ReferenceCnn(Rng rng) => new Sequential(
        new Conv2d(1, 32, 3, rng.Split("c1"), padding: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, rng.Split("c2"), padding: 1), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(64 * 7 * 7, 128, rng.Split("f1")), new ReLU(), new Linear(128, 10, rng.Split("f2")));

    private static BenchWorkload Train(string name, Module model, int[] inputShape)
    {
        var rng = new Rng(0);
        var x = Tensor.Zeros(inputShape);
        rng.FillUniform(x.Span, 0, 1);
        int[] y = [.. Enumerable.Range(0, inputShape[0]).Select(_ => rng.NextInt(10))];
        var optimizer = new Sgd(model.Parameters(), lr: 0.01);
        return new BenchWorkload(name, () =>
        {
            optimizer.ZeroGrad();
            F.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        });
    }

    private static BenchWorkload Maml()
    {
        // 4 tasks × 25 shots of N(0, 1) inputs on an MLP 784-40-40-5; one inner SGD step (lr 0.1) with create_graph,
        // the query loss on the same data, Adam 1e-3 on the meta-gradient: exact second-order MAML.
        const int tasks = 4, shots = 25;
        var rng = new Rng(0);
        var model = new Mlp([784, 40, 40, 5], rng.Split("init"));
        var named = model.NamedParameters().ToArray();
        var parameters = named.Select(p => (Tensor)p.Parameter).ToArray();
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var xs = Enumerable.Range(0, tasks).Select(_ => { var t = Tensor.Zeros(shots, 784); rng.FillNormal(t.Span, 0, 1); return t; }).ToArray();
        var ys = Enumerable.Range(0, tasks).Select(_ => Enumerable.Range(0, shots).Select(_ => rng.NextInt(5)).ToArray()).ToArray();
        return new BenchWorkload("maml2-mlp-40x2", () =>
        {
            optimizer.ZeroGrad();
            Tensor? total = null;
            for (int t = 0; t < tasks; t++)
            {
                var grads = Autograd.Grad(F.CrossEntropy(model.Forward(xs[t]), ys[t]), parameters, createGraph: true);
                var fast = named.Select((p, i) => (p.Name, Value: p.Parameter - grads[i] * 0.1f)).ToDictionary(p => p.Name, p => p.Value);
                var loss = F.CrossEntropy(model.Call(xs[t], fast), ys[t]);
                total = total is null ? loss : total + loss;
            }
            total!.Backward();
            optimizer.Step();
        });
    }

    private static BenchWorkload Gemm(int m, int k, int n)
    {
        var rng = new Rng(0);
        var a = Tensor.Zeros(m, k);
        var b = Tensor.Zeros(k, n);
        rng.FillNormal(a.Span, 0, 1);
        rng.FillNormal(b.Span, 0, 1);
        return new BenchWorkload(m == n && n == k ? $"gemm-{m}" : $"gemm-{m}x{k}x{n}", () =>
        {
            using (Autograd.NoGrad()) a.MatMul(b);
        }, 2.0 * m * k * n);
    }
}
