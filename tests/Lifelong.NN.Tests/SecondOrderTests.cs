using Lifelong.Tensors;
using Xunit.Abstractions;

namespace Lifelong.NN.Tests;

/// Hessian-vector products through whole models against central differences of the gradient:
/// H·v ≈ (∇L(θ + hv) − ∇L(θ − hv)) / 2h, with h = ε·rms(θ) and v ~ N(0, I).
/// ε is chosen per model: the central difference has error O(h²) from curvature and O(1e-7/h) from float32 rounding,
/// and where the model is only piecewise smooth (ReLU, max pooling) the step must also be small enough that no unit
/// crosses a kink and no pooling window changes its argmax; one such switch ruins the difference (error ~1).
/// Measured errors (seed fixed): Mlp tanh 1e-4, Mlp GELU + LayerNorm 1.2e-3, Mlp ReLU 1e-4, Cnn tanh 4e-5,
/// Cnn ReLU 28×28 1.2e-3, TransformerBlock 7e-5, Vit 5e-4.
public class SecondOrderTests(ITestOutputHelper output)
{
    private const double Tolerance = 2e-2;

    private double HvpRelativeError(Module model, Func<Tensor> loss, float epsilon, string label)
    {
        var parameters = model.Parameters().ToArray();
        var rng = new Rng(123);
        var v = parameters.Select(p => Tensor.Normal(p.Shape, 0f, 1f, rng)).ToArray();

        // Exact: differentiate ⟨∇L, v⟩ once more.
        var gradients = Autograd.Grad(loss(), parameters, createGraph: true);
        var dot = gradients.Select((g, i) => (g * v[i]).Sum()).Aggregate((a, b) => a + b);
        var hvp = Autograd.Grad(dot, parameters);

        double squares = parameters.Sum(p => p.ToArray().Sum(x => (double)x * x));
        float h = epsilon * (float)Math.Sqrt(squares / parameters.Sum(p => p.Size));
        var original = parameters.Select(p => p.Clone()).ToArray();
        Tensor[] GradientAt(float sign)
        {
            using (Autograd.NoGrad())
                for (int i = 0; i < parameters.Length; i++)
                    (original[i] + v[i] * (sign * h)).Span.CopyTo(parameters[i].Span);
            var g = Autograd.Grad(loss(), parameters);
            using (Autograd.NoGrad())
                for (int i = 0; i < parameters.Length; i++) original[i].Span.CopyTo(parameters[i].Span);
            return g;
        }
        var plus = GradientAt(1f);
        var minus = GradientAt(-1f);
        var finiteDifference = plus.Select((g, i) => (g - minus[i]) / (2f * h)).ToArray();

        double error = Approx.RelativeError(hvp, finiteDifference);
        output.WriteLine($"{label}: ‖Hv − FD‖/‖FD‖ = {error:E2} (ε = {epsilon}, h = {h:E2}, {parameters.Sum(p => p.Size)} parameters)");
        return error;
    }

    private static Tensor Randn(int seed, params int[] dims) => Tensor.Normal(new Shape(dims), 0f, 1f, new Rng((ulong)seed));

    private static int[] Labels(int count, int classes, int seed)
    {
        var rng = new Rng((ulong)seed);
        return [.. Enumerable.Range(0, count).Select(_ => rng.NextInt(classes))];
    }

    [Theory]
    [InlineData(Activation.Tanh, false)]
    [InlineData(Activation.Gelu, true)]
    public void Mlp_hessian_vector_product_matches_finite_differences(Activation activation, bool layerNorm)
    {
        var model = new Mlp([8, 16, 16, 3], new Rng(1), new MlpOptions(activation, layerNorm));
        var x = Randn(2, 16, 8);
        var y = Labels(16, 3, 3);
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 1e-2f, $"Mlp {activation}{(layerNorm ? " + LayerNorm" : "")}");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Relu_mlp_hessian_vector_product_is_exact_away_from_kinks()
    {
        // Piecewise linear: only the softmax curvature remains, and a small step crosses no kink.
        var model = new Mlp([8, 16, 16, 3], new Rng(1));
        var x = Randn(2, 16, 8);
        var y = Labels(16, 3, 3);
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 1e-3f, "Mlp ReLU");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Batch_norm_hessian_vector_product_matches_finite_differences()
    {
        // MAML's transductive batch norm (batch statistics always), between a convolution and a smooth activation.
        var rng = new Rng(1);
        var model = new Sequential(new Conv2d(2, 3, 3, rng.Split("conv"), padding: 1), new BatchNorm2d(3, trackRunningStats: false), new Tanh(), new Flatten(), new Linear(3 * 5 * 5, 3, rng.Split("fc")));
        var x = Randn(2, 4, 2, 5, 5);
        var y = Labels(4, 3, 3);
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 1e-2f, "Conv + BatchNorm2d + tanh");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Cnn_hessian_vector_product_matches_finite_differences()
    {
        // Smooth activations, but max pooling: at ε = 1e-2 some window's argmax flips, at 1e-3 none does.
        var model = new Cnn(1, 12, 4, new Rng(1), new CnnOptions(Channels: 4, KernelSize: 3, Hidden: [16, 16], Activation: Activation.Tanh));
        var x = Randn(2, 4, 1, 12, 12);
        var y = Labels(4, 4, 3);
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 1e-3f, "Cnn tanh 1×12×12");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Paper_cnn_hessian_vector_product_matches_finite_differences_on_28_by_28()
    {
        // The real architecture (ReLU, max pooling) at batch 2 has ~10⁴ kinks near θ: only a step of 3e-5 crosses none,
        // and there float32 rounding, not the Hessian, sets the error (~1e-3).
        var model = new Cnn(1, 28, 10, new Rng(1));
        var x = Randn(2, 2, 1, 28, 28);
        var y = Labels(2, 10, 3);
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 3e-5f, "Cnn ReLU 1×28×28");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Transformer_block_hessian_vector_product_matches_finite_differences()
    {
        var model = new TransformerBlock(8, 2, new Rng(1), mlpRatio: 2f);
        var x = Randn(2, 2, 5, 8);
        var target = Randn(3, 2, 5, 8);
        double error = HvpRelativeError(model, () => F.Mse(model.Forward(x), target), 1e-2f, "TransformerBlock");
        Assert.True(error < Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Vit_hessian_vector_product_matches_finite_differences()
    {
        var model = new Vit(new VitOptions(ImageSize: 8, PatchSize: 4, InChannels: 1, Dim: 8, Depth: 1, Heads: 2, MlpRatio: 2f, Classes: 3), new Rng(1));
        var x = Randn(2, 3, 1, 8, 8);
        var y = Labels(3, 3, 3);
        // Attention's softmax is strongly curved here: the O(h²) term is 5% at ε = 1e-2, 5e-4 at 1e-3.
        double error = HvpRelativeError(model, () => F.CrossEntropy(model.Forward(x), y), 1e-3f, "Vit depth 1");
        Assert.True(error < Tolerance, $"relative error {error}");
    }
}
