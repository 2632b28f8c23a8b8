using BenchmarkDotNet.Attributes;
using Lifelong.Tensors;
using Lifelong.Tensors.Kernels;

namespace Lifelong.Bench;

/// <summary>SGEMM on the shapes the engine meets: MLP layers, a large square, and an im2col convolution.</summary>
/// <remarks>Shapes are M×K×N as in PyTorch's a(M×K) @ b(K×N), so they line up with bench/torch_reference.py.</remarks>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>M×K×N.</summary>
    [Params("128x784x256", "256x784x1000", "1024x1024x1024", "64x800x32")]
    public string Shape { get; set; } = "128x784x256";

    /// <summary>1 = single thread; 0 = as many as the kernel chooses (both cores here).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private int M => GemmShape.Parse(Shape).M;
    private int K => GemmShape.Parse(Shape).K;
    private int N => GemmShape.Parse(Shape).N;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(0);
        _a = new float[M * K];
        _b = new float[K * N];
        _c = new float[M * N];
        rng.FillNormal(_a, 0f, 1f);
        rng.FillNormal(_b, 0f, 1f);
    }

    [Benchmark]
    public void Sgemm() =>
        Gemm.Sgemm(new GemmOptions(Threads: Threads), false, false, M, N, K, _a, K, _b, N, _c, N, accumulate: false);

    [Benchmark]
    public void SgemmTransposedB() =>
        Gemm.Sgemm(new GemmOptions(Threads: Threads), false, true, M, N, K, _a, K, _b, K, _c, N, accumulate: false);
}

/// <summary>An M×K×N product shape, written "MxKxN".</summary>
internal readonly record struct GemmShape(int M, int K, int N)
{
    public static GemmShape Parse(string text)
    {
        int[] parts = [.. text.Split('x').Select(int.Parse)];
        return new GemmShape(parts[0], parts[1], parts[2]);
    }

    public double Flops => 2.0 * M * K * N;
}
