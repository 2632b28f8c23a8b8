using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharpAnchor;

/// <summary>One workload: a step to time and, for a GEMM, its floating-point operations per step.</summary>
internal sealed record Workload(string Name, Action Step, double? Flops = null);

/// <summary>The nine workloads of ../shared/bench/torch_reference.py (and of <c>lifelong bench</c>), in its order, built
/// with its definitions: same models, batch sizes, SGD lr 0.01, MAML with Adam 1e-3, inputs uniform in [0, 1), labels
/// uniform in 0..9, libtorch's default initialisation.</summary>
internal static class Workloads
{
    public static List<Workload> All()
    {
        manual_seed(0);
        var g = new Generator(0);
        (Tensor X, Tensor Y) Xy(long b, params long[] shape) =>
            (rand([b, .. shape], generator: g), randint(0, 10, [b], generator: g));
        var w = new List<Workload>();
        var (x, y) = Xy(16, 784); w.Add(Train("mlp-100x2-b16", Models.Mlp([784, 100, 100, 10]), x, y));
        (x, y) = Xy(128, 784); w.Add(Train("mlp-256x2-b128", Models.Mlp([784, 256, 256, 10]), x, y));
        (x, y) = Xy(256, 784); w.Add(Train("mlp-1000x2-b256", Models.Mlp([784, 1000, 1000, 10]), x, y));
        (x, y) = Xy(128, 784); w.Add(Train("mlp-256x2-ln-b128", Models.Mlp([784, 256, 256, 10], layerNorm: true), x, y));
        (x, y) = Xy(64, 1, 28, 28); w.Add(Train("cnn-b64", new Cnn(), x, y));
        (x, y) = Xy(64, 1, 28, 28); w.Add(Train("vit-d64-b64", new Vit(), x, y));
        w.Add(Maml([784, 40, 40, 5]));
        w.Add(Gemm(128, 784, 256));
        w.Add(Gemm(1024, 1024, 1024));
        return w;
    }

    // Every step runs in a dispose scope, as TorchSharp's documentation asks, so its tensors are freed at once and the
    // .NET GC never holds native memory.
    private static Workload Train(string name, nn.Module<Tensor, Tensor> model, Tensor x, Tensor y)
    {
        var opt = optim.SGD(model.parameters(), 0.01);
        return new Workload(name, () =>
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            F.cross_entropy(model.forward(x), y).backward();
            opt.step();
        });
    }

    private static Workload Maml(long[] sizes, int tasks = 4, int shots = 25, double innerLr = 0.1)
    {
        var net = Models.Mlp(sizes);
        var ps = net.parameters().ToArray();
        var opt = optim.Adam(ps, 1e-3);
        var xs = randn(tasks, shots, sizes[0]);
        var ys = randint(0, sizes[^1], [tasks, shots]);
        Tensor Forward(IReadOnlyList<Tensor> p, Tensor x)
        {
            for (int i = 0; i < p.Count; i += 2)
            {
                x = F.linear(x, p[i], p[i + 1]);
                if (i < p.Count - 2) x = F.relu(x);
            }
            return x;
        }
        return new Workload("maml2-mlp-40x2", () =>
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            Tensor? total = null;
            for (int t = 0; t < tasks; t++)
            {
                var grads = autograd.grad([F.cross_entropy(Forward(ps, xs[t]), ys[t])], ps, retain_graph: true, create_graph: true); // PyTorch: retain_graph defaults to create_graph
                var fast = ps.Select((p, i) => p - innerLr * grads[i]).ToArray();
                var loss = F.cross_entropy(Forward(fast, xs[t]), ys[t]);
                total = total is null ? loss : total + loss;
            }
            total!.backward();
            opt.step();
        });
    }

    private static Workload Gemm(long m, long k, long n)
    {
        var a = randn(m, k);
        var b = randn(k, n);
        return new Workload(m == n && n == k ? $"gemm-{m}" : $"gemm-{m}x{k}x{n}", () =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            a.matmul(b);
        }, 2.0 * m * k * n);
    }
}
