using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

public static partial class TensorMath
{
    /// <summary>Conv2d as a composite of differentiable primitives (im2col, GEMM, bias add, permute): the test oracle of the fused <see cref="Conv2d"/>.</summary>
    /// <remarks>im2col then one GEMM over all N·Ho·Wo positions: (N·Ho·Wo, C·kh·kw)·Wᵀ.</remarks>
    internal static Tensor Conv2dComposite(this Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        int outChannels = weight.Shape[0];
        var window = new Window2d(weight.Shape[2], weight.Shape[3], stride, stride, padding, padding);
        window.Validate(x.Shape, nameof(Conv2dComposite));
        int n = x.Shape[0], oh = window.OutH(x.Shape[2]), ow = window.OutW(x.Shape[3]);
        var columns = x.Im2Col(window);                                              // (N·Ho·Wo, C·kh·kw)
        var y = columns.MatMul(weight.Reshape(outChannels, -1), transposeB: true);   // (N·Ho·Wo, O)
        if (bias is not null) y = y + bias;
        return y.Reshape(n, oh, ow, outChannels).Permute(0, 3, 1, 2);
    }

    /// <summary>Max pooling as a gather at the argmax indices (<see cref="Take"/>): the test oracle of the one-pass <see cref="MaxPool2d"/>.</summary>
    internal static Tensor MaxPool2dComposite(this Tensor x, int kernel, int? stride = null, int padding = 0)
    {
        var window = Window2d.Square(kernel, stride ?? kernel, padding);
        window.Validate(x.Shape, nameof(MaxPool2dComposite));
        var (indices, shape) = PoolingKernel.ArgMaxIndices(x.Span, x.Shape, window);
        return x.Take(indices, shape);
    }
}
