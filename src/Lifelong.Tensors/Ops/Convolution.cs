using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

/// <summary>Geometry of a 2-D sliding window: kernel, stride and zero padding per spatial axis.</summary>
/// <param name="KernelH">Kernel height.</param>
/// <param name="KernelW">Kernel width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadH">Zero rows added above and below.</param>
/// <param name="PadW">Zero columns added left and right.</param>
public readonly record struct Window2d(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1, int PadH = 0, int PadW = 0)
{
    /// <summary>A square window.</summary>
    public static Window2d Square(int kernel, int stride = 1, int padding = 0) => new(kernel, kernel, stride, stride, padding, padding);

    /// <summary>Output height for input height <paramref name="h"/>: ⌊(h + 2p − k)/s⌋ + 1.</summary>
    public int OutH(int h) => (h + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>Output width for input width <paramref name="w"/>.</summary>
    public int OutW(int w) => (w + 2 * PadW - KernelW) / StrideW + 1;

    internal void Validate(Shape input, string op)
    {
        if (input.Rank != 4) throw new ArgumentException($"{op}: expected input (N, C, H, W), got shape {input}.");
        if (KernelH <= 0 || KernelW <= 0 || StrideH <= 0 || StrideW <= 0 || PadH < 0 || PadW < 0)
            throw new ArgumentException($"{op}: invalid window {this}.");
        if (OutH(input[2]) <= 0 || OutW(input[3]) <= 0)
            throw new ArgumentException($"{op}: a {KernelH}×{KernelW} window (padding {PadH}, {PadW}) does not fit input shape {input}.");
    }
}

public static partial class TensorMath
{
    /// <summary>Unfolds every sliding window of x (N, C, H, W) into a row: (N·Ho·Wo, C·kh·kw); zeros where the window overlaps padding.</summary>
    /// <remarks>Row (n, oh, ow), column (c, i, j) holds x[n, c, oh·sh − ph + i, ow·sw − pw + j]. Its adjoint is <see cref="Col2Im"/>.</remarks>
    public static Tensor Im2Col(this Tensor x, Window2d window)
    {
        window.Validate(x.Shape, nameof(Im2Col));
        var y = Tensor.Uninitialized(ColumnShape(x.Shape, window));
        Im2ColKernel.Unfold(x.Span, y.Span, x.Shape, window);
        var inputShape = x.Shape;
        return Autograd.Record(y, [x], dy => [dy.Col2Im(inputShape, window)]);
    }

    /// <summary>Sums window rows (N·Ho·Wo, C·kh·kw) back into an image of <paramref name="imageShape"/>: the adjoint of <see cref="Im2Col"/>.</summary>
    public static Tensor Col2Im(this Tensor columns, Shape imageShape, Window2d window)
    {
        window.Validate(imageShape, nameof(Col2Im));
        var expected = ColumnShape(imageShape, window);
        if (columns.Shape != expected) throw new ArgumentException($"Col2Im: columns of shape {columns.Shape} do not match image {imageShape} (expected {expected}).");
        var y = Tensor.Zeros(imageShape);
        Im2ColKernel.Fold(columns.Span, y.Span, imageShape, window);
        return Autograd.Record(y, [columns], dy => [dy.Im2Col(window)]);
    }

    /// <summary>2-D cross-correlation, as PyTorch's conv2d: x (N, C, H, W), weight (O, C, kh, kw), bias (O) → (N, O, Ho, Wo).</summary>
    /// <remarks>
    /// One fused op (<see cref="ConvKernel"/>: per sample, unfold then one GEMM written straight into NCHW). Its backward is
    /// written with its two adjoints, <see cref="Conv2dBackwardInput"/> and <see cref="Conv2dBackwardWeight"/>, which are
    /// fused differentiable ops too, each differentiated by the other two: the three are closed under differentiation, so
    /// gradients of gradients (second-order MAML) stay exact and fast. <see cref="Conv2dComposite"/> is its test oracle.
    /// </remarks>
    public static Tensor Conv2d(this Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        var g = ConvGeometryOf(x, weight, stride, padding, nameof(Conv2d));
        if (bias is not null && (bias.Rank != 1 || bias.Size != g.O))
            throw new ArgumentException($"Conv2d: bias shape {bias.Shape} does not match {g.O} output channels.");
        var y = Tensor.Uninitialized(g.OutputShape);
        ConvKernel.Forward(x.Span, weight.Span, bias is null ? default : bias.Span, y.Span, g);
        // d⟨dy, conv(x, W) + b⟩: dx = convᵀ(dy, W), dW = Σ dy ⊗ unfold(x), db = Σ_{n,h,w} dy.
        return Autograd.Record(y, bias is null ? [x, weight] : [x, weight, bias], dy =>
        [
            x.RequiresGrad ? dy.Conv2dBackwardInput(weight, x.Shape, stride, padding) : null,
            weight.RequiresGrad ? x.Conv2dBackwardWeight(dy, weight.Shape, stride, padding) : null,
            .. bias is null ? Array.Empty<Tensor?>() : [bias.RequiresGrad ? ConvBiasGradient(dy) : null],
        ]);
    }

    /// <summary>db = Σ_{n, h, w} dy: one pass over dy, or the differentiable sum when a graph of the backward is recorded.</summary>
    private static Tensor ConvBiasGradient(Tensor dy)
    {
        if (Autograd.IsGradEnabled) return dy.Sum([0, 2, 3]);
        var db = Tensor.Uninitialized(new Shape(dy.Shape[1]));
        ConvKernel.BiasGradient(dy.Span, db.Span, dy.Shape[0], dy.Shape[1], dy.Shape[2] * dy.Shape[3]);
        return db;
    }

    /// <summary>The adjoint of <see cref="Conv2d"/> in its input (a transposed convolution): dx (<paramref name="inputShape"/>)
    /// with ⟨dx, v⟩ = ⟨dy, conv2d(v, weight)⟩ for every v.</summary>
    /// <param name="dy">(N, O, Ho, Wo)</param> <param name="weight">(O, C, kh, kw)</param>
    /// <param name="inputShape">(N, C, H, W) of the convolution's input; H and W are not implied by Ho, Wo when the stride does not divide evenly.</param>
    /// <param name="stride">The convolution's stride.</param> <param name="padding">The convolution's padding.</param>
    public static Tensor Conv2dBackwardInput(this Tensor dy, Tensor weight, Shape inputShape, int stride = 1, int padding = 0)
    {
        var g = ConvGeometryOf(inputShape, weight, stride, padding, nameof(Conv2dBackwardInput));
        if (dy.Shape != g.OutputShape) throw new ArgumentException($"Conv2dBackwardInput: dy of shape {dy.Shape}, expected {g.OutputShape}.");
        var dx = Tensor.Uninitialized(inputShape);
        ConvKernel.BackwardInput(dy.Span, weight.Span, dx.Span, g);
        // Bilinear in (dy, W): d⟨z, convᵀ(dy, W)⟩/d dy = conv(z, W), d/dW = the weight adjoint of conv at (z, dy).
        return Autograd.Record(dx, [dy, weight], dz =>
        [
            dy.RequiresGrad ? dz.Conv2d(weight, null, stride, padding) : null,
            weight.RequiresGrad ? dz.Conv2dBackwardWeight(dy, weight.Shape, stride, padding) : null,
        ]);
    }

    /// <summary>The adjoint of <see cref="Conv2d"/> in its weight: dW (<paramref name="weightShape"/>) with
    /// ⟨dW, v⟩ = ⟨dy, conv2d(x, v)⟩ for every v; dW[o, c, i, j] = Σ_{n, oh, ow} dy[n, o, oh, ow]·x[n, c, oh·s − p + i, ow·s − p + j].</summary>
    /// <param name="x">(N, C, H, W)</param> <param name="dy">(N, O, Ho, Wo)</param> <param name="weightShape">(O, C, kh, kw)</param>
    /// <param name="stride">The convolution's stride.</param> <param name="padding">The convolution's padding.</param>
    public static Tensor Conv2dBackwardWeight(this Tensor x, Tensor dy, Shape weightShape, int stride = 1, int padding = 0)
    {
        if (weightShape.Rank != 4) throw new ArgumentException($"Conv2dBackwardWeight: weight shape must be (O, C, kh, kw), got {weightShape}.");
        var window = new Window2d(weightShape[2], weightShape[3], stride, stride, padding, padding);
        var g = ConvGeometryOf(x.Shape, weightShape, window, nameof(Conv2dBackwardWeight));
        if (dy.Shape != g.OutputShape) throw new ArgumentException($"Conv2dBackwardWeight: dy of shape {dy.Shape}, expected {g.OutputShape}.");
        var dw = Tensor.Uninitialized(weightShape);
        ConvKernel.BackwardWeight(x.Span, dy.Span, dw.Span, g);
        // Bilinear in (x, dy): d⟨v, dW(x, dy)⟩/dx = convᵀ(dy, v), d/d dy = conv(x, v).
        return Autograd.Record(dw, [x, dy], dv =>
        [
            x.RequiresGrad ? dy.Conv2dBackwardInput(dv, x.Shape, stride, padding) : null,
            dy.RequiresGrad ? x.Conv2d(dv, null, stride, padding) : null,
        ]);
    }

    /// <summary>Max over each window, per channel: (N, C, H, W) → (N, C, Ho, Wo); padding counts as −∞. The gradient goes to the first maximum of each window.</summary>
    public static Tensor MaxPool2d(this Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var window = Window2d.Square(kernel, stride ?? kernel, padding);
        window.Validate(x.Shape, nameof(MaxPool2d));
        var y = Tensor.Uninitialized(new Shape(x.Shape[0], x.Shape[1], window.OutH(x.Shape[2]), window.OutW(x.Shape[3])));
        var indices = GC.AllocateUninitializedArray<int>(y.Size);   // every entry is written
        PoolingKernel.MaxWithArgMax(x.Span, y.Span, indices, x.Shape, window);
        // The gradient goes to each window's argmax: one pass for the common 2×2 window, a differentiable scatter otherwise.
        var inputShape = x.Shape;
        bool twoByTwo = window is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 };
        return Autograd.Record(y, [x], dy => [twoByTwo && !Autograd.IsGradEnabled ? MaxPool2x2Backward(dy, indices, inputShape) : dy.ScatterAdd(indices, inputShape)]);
    }

    private static Tensor MaxPool2x2Backward(Tensor dy, int[] indices, Shape inputShape)
    {
        var dx = Tensor.Uninitialized(inputShape);
        PoolingKernel.MaxPool2x2Backward(dy.Span, indices, dx.Span, inputShape[0] * inputShape[1], inputShape[2], inputShape[3]);
        return dx;
    }

    /// <summary>Mean over each window, per channel; zero padding is counted in the mean (PyTorch's count_include_pad=True).</summary>
    public static Tensor AvgPool2d(this Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var window = Window2d.Square(kernel, stride ?? kernel, padding);
        window.Validate(x.Shape, nameof(AvgPool2d));
        var (indices, shape) = PoolingKernel.WindowIndices(x.Shape, window);
        return x.Take(indices, shape).Mean(-1);
    }

    private static ConvGeometry ConvGeometryOf(Tensor x, Tensor weight, int stride, int padding, string op) =>
        ConvGeometryOf(x.Shape, weight, stride, padding, op);

    private static ConvGeometry ConvGeometryOf(Shape input, Tensor weight, int stride, int padding, string op)
    {
        if (weight.Rank != 4) throw new ArgumentException($"{op}: weight must be (O, C, kh, kw), got shape {weight.Shape}.");
        var window = new Window2d(weight.Shape[2], weight.Shape[3], stride, stride, padding, padding);
        return ConvGeometryOf(input, weight.Shape, window, op);
    }

    private static ConvGeometry ConvGeometryOf(Shape input, Shape weight, Window2d window, string op)
    {
        if (input.Rank != 4 || input[1] != weight[1])
            throw new ArgumentException($"{op}: input shape {input} does not match weight shape {weight} (input must be (N, {weight[1]}, H, W)).");
        window.Validate(input, op);
        return ConvGeometry.Of(input, weight, window);
    }

    private static Shape ColumnShape(Shape image, Window2d w) =>
        new(image[0] * w.OutH(image[2]) * w.OutW(image[3]), image[1] * w.KernelH * w.KernelW);
}
