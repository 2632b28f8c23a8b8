using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The transformer's position-wise MLP, timm's <c>Mlp</c>: y = fc2(GELU(fc1(x))).</summary>
/// <remarks>Named <c>fc1</c> (D → hidden) and <c>fc2</c> (hidden → D) as timm; exact GELU.</remarks>
public sealed class FeedForward : Module
{
    /// <summary>The expansion, D → hidden.</summary>
    public Linear Fc1 { get; }

    /// <summary>The contraction, hidden → D.</summary>
    public Linear Fc2 { get; }

    /// <summary>A two-layer MLP D → <paramref name="hidden"/> → D.</summary>
    public FeedForward(int dim, int hidden, Rng rng)
    {
        Fc1 = AddModule("fc1", new Linear(dim, hidden, rng.Split("fc1")));
        Fc2 = AddModule("fc2", new Linear(hidden, dim, rng.Split("fc2")));
    }

    /// <param name="x">(*, D)</param> <returns>(*, D)</returns>
    public override Tensor Forward(Tensor x) => Fc2.Forward(F.Gelu(Fc1.Forward(x)));
}
