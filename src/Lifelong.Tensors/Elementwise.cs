using Lifelong.Tensors.Kernels;

namespace Lifelong.Tensors;

/// <summary>Elementwise span operations for code that updates tensors in place (optimizers), run on the engine's threads
/// when the spans are large. Each element is computed as on one thread, so the results do not depend on the thread count.</summary>
public static class Elementwise
{
    /// <summary>destination = x·y + addend, elementwise, with the roundings of
    /// <c>TensorPrimitives.MultiplyAdd</c>.
    /// <paramref name="destination"/> may be <paramref name="addend"/> itself (θ ← θ − η·g).</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, or the destination is shorter.</exception>
    public static void MultiplyAdd(ReadOnlySpan<float> x, float y, ReadOnlySpan<float> addend, Span<float> destination) =>
        ParallelElementwise.MultiplyAdd(x, y, addend, destination);
}
