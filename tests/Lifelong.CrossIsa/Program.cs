using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Lifelong.NN;
using Lifelong.Tensors;

// Prints one line per case, "name<TAB>hash of every output bit". Lifelong.NN.Tests runs this program under the
// runtime's instruction-set switches (DOTNET_EnableAVX512F=0, DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0), and with
// the AVX-512 paths emulated where the machine lacks them (LIFELONG_EMULATE_AVX512=1), and requires every line to match
// the default path's: the engine promises the same bits on every CPU.

var cases = Cases.All();
// The first line names the instruction sets this process accelerates, so the test can check that a switch took effect.
Console.Out.WriteLine($"#path Vector512={Vector512.IsHardwareAccelerated} Vector256={Vector256.IsHardwareAccelerated} Vector128={Vector128.IsHardwareAccelerated} Fma={Fma.IsSupported || AdvSimd.IsSupported} Engine={EngineInfo.InstructionSet}");
foreach (var (name, run) in cases)
{
    Console.Out.WriteLine($"{name}\t{Cases.Hash(run())}");
}

internal static class Cases
{
    /// <summary>SHA-256 of the float bits of every tensor, NaNs made canonical (their payload is the CPU's, not ours).</summary>
    public static string Hash(IEnumerable<Tensor> tensors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var tensor in tensors)
        {
            foreach (float value in tensor.Span)
            {
                BitConverter.TryWriteBytes(bytes, float.IsNaN(value) ? 0x7FC00000 : BitConverter.SingleToInt32Bits(value));
                sha.AppendData(bytes);
            }
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16];
    }

    public static List<(string Name, Func<IEnumerable<Tensor>> Run)> All()
    {
        var list = new List<(string, Func<IEnumerable<Tensor>>)>();
        void Add(string name, Func<IEnumerable<Tensor>> run) => list.Add((name, run));

        // Elementwise functions on a grid that crosses every range reduction, plus the special values.
        foreach (var (name, op) in new (string, Func<Tensor, Tensor>)[]
        {
            ("exp", x => x.Exp()), ("log", x => x.Abs().Log()), ("tanh", x => x.Tanh()), ("sigmoid", x => x.Sigmoid()),
            ("erf", x => x.Erf()), ("gelu", x => x.Gelu()), ("gelu-tanh", x => F.Gelu(x, tanhApproximation: true)),
            ("pow3", x => x.Pow(3f)), ("pow0.7", x => x.Abs().Pow(0.7f)), ("sqrt", x => x.Abs().Sqrt()),
        })
        {
            Add($"unary/{name}", () => [op(Grid())]);
        }
        Add("unary/gelu-backward", () => Gradients(Grid(), x => x.Gelu().Sum()));
        Add("unary/tanh-sigmoid-backward", () => Gradients(Grid(), x => (x.Tanh() * x.Sigmoid()).Sum()));

        // Reductions over lengths around the logical lane count (16) and far past it.
        foreach (int n in new[] { 1, 3, 15, 16, 17, 31, 33, 100, 1000, 4099 })
        {
            Add($"reduce/{n}", () =>
            {
                var x = Random(n, 1, $"reduce{n}");
                return (Tensor[])[x.Sum(), x.Mean(), x.Var([0], correction: n > 1 ? 1 : 0), x.Max(), x.Square().Sum(), x.LogSumExp([0]), (x * Random(n, 1, "other")).Sum()];
            });
        }
        Add("reduce/axes", () =>
        {
            var x = Random(6 * 37, 1, "axes").Reshape(6, 37);
            return [x.Sum(0), x.Sum(1), x.Mean(1, keepDim: true), x.Max(1)];
        });

        // GEMM: tiny, ragged, one and several KC blocks, every transpose, small batches (direct kernels), wide outputs.
        foreach (var (m, k, n) in new[] { (1, 1, 1), (7, 13, 5), (16, 784, 100), (16, 100, 10), (33, 300, 65), (64, 257, 96), (5, 600, 40), (130, 70, 200) })
        {
            Add($"matmul/{m}x{k}x{n}", () =>
            {
                var a = Random(m * k, 1, "a").Reshape(m, k).Detach();
                var b = Random(k * n, 1, "b").Reshape(k, n).Detach();
                var w = Random(n * k, 1, "w").Reshape(n, k).Detach();
                var bias = Random(n, 1, "bias").Detach();
                var (wp, ap, bp) = (Leaf(w), Leaf(a), Leaf(bias));
                var linear = F.Linear(ap, wp, bp);
                (linear * Random(m * n, 1, "g").Reshape(m, n)).Sum().Backward();
                return [a.MatMul(b), b.Transpose(0, 1).MatMul(a.Transpose(0, 1)), linear, ap.Grad!, wp.Grad!, bp.Grad!];
            });
        }
        Add("matmul/batched", () => [Random(3 * 17 * 16, 1, "q").Reshape(3, 17, 16).MatMul(Random(3 * 16 * 17, 1, "k").Reshape(3, 16, 17))]);

        // Composites and fused ops, values and gradients.
        Add("softmax", () => Gradients(Random(12 * 37, 3, "s").Reshape(12, 37), x => (F.Softmax(x) * Random(12 * 37, 1, "t").Reshape(12, 37)).Sum()));
        Add("log-softmax", () => Gradients(Random(12 * 37, 3, "s").Reshape(12, 37), x => (F.LogSoftmax(x) * Random(12 * 37, 1, "t").Reshape(12, 37)).Sum()));
        Add("cross-entropy", () => Gradients(Random(33 * 10, 3, "ce").Reshape(33, 10), x => F.CrossEntropy(x, Labels(33, 10))));
        Add("cross-entropy-smoothed", () => Gradients(Random(33 * 10, 3, "ce").Reshape(33, 10), x => F.CrossEntropy(x, Labels(33, 10), 0.1f)));
        Add("cross-entropy-soft", () => Gradients(Random(33 * 10, 3, "ce").Reshape(33, 10), x => F.CrossEntropy(x, F.Softmax(Random(33 * 10, 1, "p").Reshape(33, 10)))));
        Add("mse-bce", () => Gradients(Random(50, 2, "m"), x => F.Mse(x, Random(50, 1, "y")) + F.BinaryCrossEntropyWithLogits(x, Random(50, 1, "y").Sigmoid())));
        Add("layer-norm", () =>
        {
            var (w, b) = (Leaf(Random(67, 1, "w")), Leaf(Random(67, 1, "b")));
            var x = Leaf(Random(9 * 67, 2, "x").Reshape(9, 67));
            var y = F.LayerNorm(x, w, b);
            (y * Random(9 * 67, 1, "g").Reshape(9, 67)).Sum().Backward();
            return [y, x.Grad!, w.Grad!, b.Grad!];
        });
        Add("batch-norm", () =>
        {
            var norm = new BatchNorm2d(5);
            var x = Leaf(Random(4 * 5 * 6 * 7, 2, "x").Reshape(4, 5, 6, 7));
            var y = norm.Forward(x);
            (y * Random(4 * 5 * 6 * 7, 1, "g").Reshape(4, 5, 6, 7)).Sum().Backward();
            return [y, x.Grad!, norm.Weight.Grad!, norm.Bias.Grad!, norm.RunningMean!, norm.RunningVar!];
        });
        Add("conv-pool", () =>
        {
            var x = Leaf(Random(3 * 2 * 11 * 11, 1, "x").Reshape(3, 2, 11, 11));
            var w = Leaf(Random(6 * 2 * 3 * 3, 1, "w").Reshape(6, 2, 3, 3));
            var b = Leaf(Random(6, 1, "b"));
            var y = F.MaxPool2d(F.Conv2d(x, w, b, stride: 1, padding: 1), 2) + F.AvgPool2d(F.Conv2d(x, w, null, stride: 2, padding: 0).Relu(), 2).Sum();
            (y * Random(y.Size, 1, "g").Reshape(y.Shape.Dims.ToArray())).Sum().Backward();
            return [y, x.Grad!, w.Grad!, b.Grad!];
        });
        // d_head 8 is whole vectors on every path (the kernel writes results in place); 5 and 12 are not on some (through a tile).
        // 17 tokens leave padding columns in a row of scores on every path; 12 fill whole 128-bit vectors and 8 whole 256-bit ones.
        foreach (var (dim, heads, tokens) in new[] { (24, 3, 17), (15, 3, 17), (36, 3, 17), (24, 3, 12), (24, 3, 8) })
        {
            Add(dim == 24 && tokens == 17 ? "attention" : $"attention/d{dim}h{heads}n{tokens}", () =>
            {
                var attention = new MultiHeadSelfAttention(dim, heads, new Rng(3));
                var x = Leaf(Random(2 * tokens * dim, 1, "x").Reshape(2, tokens, dim));
                var y = attention.Forward(x);
                (y * Random(y.Size, 1, "g").Reshape(2, tokens, dim)).Sum().Backward();
                return [y, x.Grad!, .. attention.Parameters().Select(p => p.Grad!)];
            });
        }
        // Rows of scores that are all negative: every token is one large vector plus a little noise, so each head's scores share
        // the sign of (Wq·v)·(Wk·v). The softmax's shift must be the largest real score on every path, never a padding column's 0.
        foreach (int tokens in new[] { 12, 8, 17 })
        {
            Add($"attention/same-sign-rows/n{tokens}", () =>
            {
                var attention = new MultiHeadSelfAttention(24, 3, new Rng(3));
                var v = Random(24, 6, "v");
                var x = Leaf(TensorMath.Stack([.. Enumerable.Repeat(v, 2 * tokens)]).Reshape(2, tokens, 24) + Random(2 * tokens * 24, 0.05f, "x").Reshape(2, tokens, 24));
                var y = attention.Forward(x);
                (y * Random(y.Size, 1, "g").Reshape(2, tokens, 24)).Sum().Backward();
                return [y, x.Grad!, .. attention.Parameters().Select(p => p.Grad!)];
            });
        }

        // A few steps of training, one model and optimizer each: what a checkpoint would hold.
        Add("train/mlp-adam", () => Train(new Mlp([20, 33, 33, 5], new Rng(1)), p => new Adam(p, lr: 1e-2), 20, 16));
        Add("train/mlp-ln-sgd", () => Train(new Mlp([20, 40, 5], new Rng(2), new MlpOptions(Activation.Tanh, LayerNorm: true)), p => new Sgd(p, lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4), 20, 16));
        Add("train/cnn-sgd", () => Train(new Cnn(1, 12, 5, new Rng(3), new CnnOptions(Channels: 4, KernelSize: 3, Hidden: [16])), p => new Sgd(p, lr: 0.05, momentum: 0.9), 144, 8, image: (1, 12)));
        Add("train/vit-adamw", () => Train(new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 1, Dim: 16, Depth: 1, Heads: 2, Classes: 5), new Rng(4)), p => new AdamW(p, lr: 1e-2), 64, 6, image: (1, 8)));
        return list;
    }

    private static Tensor[] Train(Module model, Func<IEnumerable<Tensor>, Optimizer> optimizer, int features, int batch, (int Channels, int Side)? image = null)
    {
        var opt = optimizer(model.Parameters());
        var rng = new Rng(11);
        for (int step = 0; step < 4; step++)
        {
            var x = Tensor.Normal(new Shape(batch, features), 0f, 1f, rng.Split(step));
            if (image is { } shape) x = x.Reshape(batch, shape.Channels, shape.Side, shape.Side);
            opt.ZeroGrad();
            F.CrossEntropy(model.Forward(x), Labels(batch, 5, step)).Backward();
            opt.Step();
        }
        return [.. model.StateDict().Values];
    }

    private static Tensor[] Gradients(Tensor x, Func<Tensor, Tensor> loss)
    {
        var leaf = Leaf(x);
        var value = loss(leaf);
        value.Backward();
        return [value, leaf.Grad!];
    }

    private static Parameter Leaf(Tensor x) => new(x.Detach().Clone());

    /// <summary>x from −100 to 100 in steps that hit no round numbers, densest near 0, and the special values.</summary>
    private static Tensor Grid()
    {
        var values = new List<float> { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, 1e-40f, -1e-30f, 88.72f, 88.73f, -87.4f, -103.9f, -104f, 1e-8f, 0.5f, 1f, 2f };
        for (int i = -2000; i <= 2001; i++) values.Add(MathF.Sign(i) * (i * i) / 40000.3f);
        return Tensor.FromArray([.. values], values.Count);
    }

    private static Tensor Random(int n, float std, string name) => Tensor.Normal(new Shape(n), 0f, std, new Rng(7).Split(name));

    private static int[] Labels(int n, int classes, int seed = 0)
    {
        var rng = new Rng(5).Split(seed);
        return [.. Enumerable.Range(0, n).Select(_ => rng.NextInt(classes))];
    }
}
