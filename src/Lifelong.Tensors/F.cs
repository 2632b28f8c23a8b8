namespace Lifelong.Tensors;

/// <summary>Neural-network functions built from the primitive ops (PyTorch's <c>torch.nn.functional</c>).</summary>
/// <remarks>Each is a composite of differentiable primitives, so each has gradients of every order.</remarks>
public static class F
{
    private static readonly float SqrtTwoOverPi = MathF.Sqrt(2f / MathF.PI);

    /// <summary>y = x·Wᵀ + b.</summary>
    /// <remarks>With a bias, the rows (all leading dims together) run as one op (<see cref="TensorMath.AffineRows"/>).</remarks>
    /// <param name="x">(*, in)</param>
    /// <param name="weight">(out, in)</param>
    /// <param name="bias">(out), optional</param>
    /// <returns>(*, out)</returns>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || x.Rank == 0 || x.Shape[-1] != weight.Shape[1])
            throw new ArgumentException($"Linear: input shape {x.Shape} does not match weight shape {weight.Shape} (the last input dim must be {(weight.Rank == 2 ? weight.Shape[1] : -1)}).");
        if (x.Rank >= 2 && bias is { Rank: 1 } && bias.Shape[0] == weight.Shape[0])
        {
            if (x.Rank == 2) return TensorMath.AffineRows(x, weight, bias);
            // Tokens (B, N, in) are B·N rows: one GEMM with the bias added in place, as for a plain batch.
            var dims = x.Shape.ToArray();
            dims[^1] = weight.Shape[0];
            return TensorMath.AffineRows(x.Reshape(-1, x.Shape[-1]), weight, bias).Reshape(dims);
        }
        var y = x.MatMul(weight, transposeB: true);
        return bias is null ? y : y + bias;
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>GELU: x·Φ(x) = ½x(1 + erf(x/√2)), exact as PyTorch's and timm's default; with <paramref name="tanhApproximation"/>, ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static Tensor Gelu(Tensor x, bool tanhApproximation = false)
    {
        if (tanhApproximation) return x * ((x + x.Pow(3f) * 0.044715f) * SqrtTwoOverPi).Tanh().Add(1f) * 0.5f;
        return x.Gelu();
    }

    /// <summary>CReLU: [relu(x), relu(−x)] concatenated along <paramref name="axis"/> (Shang et al. 2016), doubling that dim.</summary>
    public static Tensor CRelu(Tensor x, int axis = -1) => TensorMath.Concat([x.Relu(), x.Neg().Relu()], axis);

    /// <summary>softmax along <paramref name="axis"/>: exp(x − logsumexp(x)).</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => LogSoftmax(x, axis).Exp();

    /// <summary>log-softmax along <paramref name="axis"/>: x − logsumexp(x).</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => x - x.LogSumExp([axis], keepDim: true);

    /// <summary>Mean cross-entropy of <paramref name="logits"/> (N, C) against class indices, with optional label smoothing ε (target (1 − ε)·onehot + ε/C, as PyTorch).</summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, float labelSmoothing = 0f)
    {
        if (logits.Rank != 2) throw new ArgumentException($"CrossEntropy: logits must be (N, C), got shape {logits.Shape}.");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (targets.Length != n) throw new ArgumentException($"CrossEntropy: {targets.Length} targets for {n} rows of logits (shape {logits.Shape}).");
        if (labelSmoothing < 0f || labelSmoothing > 1f) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must lie in [0, 1].");
        var target = Tensor.Full(logits.Shape, labelSmoothing / c);
        var t = target.Span;
        for (int i = 0; i < n; i++)
        {
            if ((uint)targets[i] >= (uint)c) throw new ArgumentOutOfRangeException(nameof(targets), $"CrossEntropy: target {targets[i]} at row {i} is not a class in 0..{c - 1}.");
            t[i * c + targets[i]] += 1f - labelSmoothing;
        }
        return CrossEntropy(logits, target);
    }

    /// <summary>Mean cross-entropy −Σ p·log softmax(logits) against a target distribution <paramref name="targetProbabilities"/> (N, C).</summary>
    /// <remarks>For (N, C) logits this is the fused <see cref="TensorMath.SoftmaxCrossEntropy"/>.</remarks>
    public static Tensor CrossEntropy(Tensor logits, Tensor targetProbabilities)
    {
        if (logits.Shape != targetProbabilities.Shape)
            throw new ArgumentException($"CrossEntropy: logits shape {logits.Shape} and target shape {targetProbabilities.Shape} differ.");
        if (logits.Rank == 2) return logits.SoftmaxCrossEntropy(targetProbabilities);
        return (LogSoftmax(logits, -1) * targetProbabilities).Sum().Mul(-1f / logits.Shape[0]);
    }

    /// <summary>Mean squared error mean((x − target)²).</summary>
    public static Tensor Mse(Tensor x, Tensor target)
    {
        if (x.Shape != target.Shape) throw new ArgumentException($"Mse: input shape {x.Shape} and target shape {target.Shape} differ.");
        return (x - target).Square().Mean();
    }

    /// <summary>Mean binary cross-entropy on logits, stably: max(x, 0) − x·t + log(1 + e^(−|x|)).</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets)
    {
        if (logits.Shape != targets.Shape) throw new ArgumentException($"BinaryCrossEntropyWithLogits: logits shape {logits.Shape} and target shape {targets.Shape} differ.");
        return (logits.Relu() - logits * targets + logits.Abs().Neg().Exp().Add(1f).Log()).Mean();
    }

    /// <summary>Inverted dropout: in training, zero each element with probability p and scale survivors by 1/(1 − p); identity otherwise.</summary>
    public static Tensor Dropout(Tensor x, float p, bool training, Rng rng)
    {
        if (p < 0f || p >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must lie in [0, 1).");
        if (!training || p == 0f) return x;
        var mask = Tensor.Uninitialized(x.Shape);
        var m = mask.Span;
        float scale = 1f / (1f - p);
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextFloat() < p ? 0f : scale;
        return x * mask;
    }

    /// <summary>Layer norm over the last <paramref name="normalizedDims"/> dims: (x − mean)/√(var + ε)·γ + β, biased variance, as PyTorch.</summary>
    /// <remarks>With both γ and β of the normalized shape this is the fused <see cref="TensorMath.LayerNorm"/>.</remarks>
    /// <param name="x">(*, normalized shape)</param>
    /// <param name="weight">γ, the normalized shape, optional</param>
    /// <param name="bias">β, the normalized shape, optional</param>
    /// <param name="eps">ε; PyTorch's default 1e-5, timm's ViT uses 1e-6.</param>
    /// <param name="normalizedDims">How many trailing dims are normalized together.</param>
    public static Tensor LayerNorm(Tensor x, Tensor? weight, Tensor? bias, float eps = 1e-5f, int normalizedDims = 1)
    {
        if (normalizedDims < 1 || normalizedDims > x.Rank) throw new ArgumentException($"LayerNorm: cannot normalize {normalizedDims} trailing dims of shape {x.Shape}.");
        if (weight is not null && bias is not null && weight.Shape == bias.Shape && weight.Shape == new Shape(x.Shape.Dims[^normalizedDims..].ToArray()))
            return x.LayerNorm(weight, bias, eps, normalizedDims);
        var y = x.Normalize(normalizedDims, eps);
        if (weight is not null) y = y * weight;
        if (bias is not null) y = y + bias;
        return y;
    }

    /// <summary>2-D convolution; see <see cref="TensorMath.Conv2d"/>.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0) => x.Conv2d(weight, bias, stride, padding);

    /// <summary>2-D max pooling; see <see cref="TensorMath.MaxPool2d"/>.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernel, int? stride = null, int padding = 0) => x.MaxPool2d(kernel, stride, padding);

    /// <summary>2-D average pooling; see <see cref="TensorMath.AvgPool2d"/>.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernel, int? stride = null, int padding = 0) => x.AvgPool2d(kernel, stride, padding);
}
