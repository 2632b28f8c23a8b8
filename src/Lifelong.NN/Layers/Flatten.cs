using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Merges every dim from <paramref name="startAxis"/> on into one, e.g. (N, C, H, W) → (N, C·H·W).</summary>
/// <param name="startAxis">The first dim merged; PyTorch's default 1 keeps the batch dim.</param>
public sealed class Flatten(int startAxis = 1) : Module
{
    /// <param name="x">(d₀, …, d_{s−1}, d_s, …)</param> <returns>(d₀, …, d_{s−1}, Π d_s…)</returns>
    public override Tensor Forward(Tensor x) => x.Flatten(startAxis);
}
