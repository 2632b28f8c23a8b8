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
    /// <remarks>im2col then one GEMM over all N·Ho·Wo positions: (N·Ho·Wo, C·kh·kw)·Wᵀ.</remarks>
    public static Tensor Conv2d(this Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        if (weight.Rank != 4) throw new ArgumentException($"Conv2d: weight must be (O, C, kh, kw), got shape {weight.Shape}.");
        if (x.Rank != 4 || x.Shape[1] != weight.Shape[1])
            throw new ArgumentException($"Conv2d: input shape {x.Shape} does not match weight shape {weight.Shape} (input must be (N, {weight.Shape[1]}, H, W)).");
        int outChannels = weight.Shape[0];
        if (bias is not null && (bias.Rank != 1 || bias.Size != outChannels))
            throw new ArgumentException($"Conv2d: bias shape {bias.Shape} does not match {outChannels} output channels.");
        var window = new Window2d(weight.Shape[2], weight.Shape[3], stride, stride, padding, padding);
        window.Validate(x.Shape, nameof(Conv2d));
        int n = x.Shape[0], oh = window.OutH(x.Shape[2]), ow = window.OutW(x.Shape[3]);
        var columns = x.Im2Col(window);                                        // (N·Ho·Wo, C·kh·kw)
        var y = columns.MatMul(weight.Reshape(outChannels, -1), transposeB: true);   // (N·Ho·Wo, O)
        if (bias is not null) y = y + bias;
        return y.Reshape(n, oh, ow, outChannels).Permute(0, 3, 1, 2);
    }

    /// <summary>Max over each window, per channel: (N, C, H, W) → (N, C, Ho, Wo); padding counts as −∞. The gradient goes to the first maximum of each window.</summary>
    public static Tensor MaxPool2d(this Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var window = Window2d.Square(kernel, stride ?? kernel, padding);
        window.Validate(x.Shape, nameof(MaxPool2d));
        var (indices, shape) = PoolingKernel.ArgMaxIndices(x.Span, x.Shape, window);
        return x.Take(indices, shape);
    }

    /// <summary>Mean over each window, per channel; zero padding is counted in the mean (PyTorch's count_include_pad=True).</summary>
    public static Tensor AvgPool2d(this Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var window = Window2d.Square(kernel, stride ?? kernel, padding);
        window.Validate(x.Shape, nameof(AvgPool2d));
        var (indices, shape) = PoolingKernel.WindowIndices(x.Shape, window);
        return x.Take(indices, shape).Mean(-1);
    }

    private static Shape ColumnShape(Shape image, Window2d w) =>
        new(image[0] * w.OutH(image[2]) * w.OutW(image[3]), image[1] * w.KernelH * w.KernelW);
}
