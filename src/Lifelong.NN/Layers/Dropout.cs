using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Inverted dropout: in training, y = x·m/(1 − p) with m ~ Bernoulli(1 − p) per element; in evaluation, y = x.</summary>
/// <param name="p">Probability of zeroing an element, in [0, 1).</param>
/// <param name="rng">The stream the masks are drawn from (advanced by every training forward).</param>
public sealed class Dropout(float p, Rng rng) : Module
{
    /// <summary>Probability of zeroing an element.</summary>
    public float P { get; } = p is >= 0f and < 1f ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must lie in [0, 1).");

    /// <param name="x">any shape</param> <returns>the same shape</returns>
    public override Tensor Forward(Tensor x) => F.Dropout(x, P, IsTraining, rng);
}
