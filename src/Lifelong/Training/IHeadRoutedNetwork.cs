namespace Lifelong.Training;

/// <summary>A network that computes each sample's logits on its head itself, because the head changes more than the last
/// layer (DEN serves task t with the units that existed at task t).</summary>
/// <remarks><see cref="ContinualModel"/> calls <see cref="Forward"/> instead of slicing the full output; the network's
/// plain <see cref="NN.Module.Forward"/> must still return every head's logits, (N, heads × classes).</remarks>
public interface IHeadRoutedNetwork
{
    /// <summary>Logits of each sample on its head.</summary>
    /// <param name="x">(N, ...) inputs.</param> <param name="heads">(N) head per sample.</param>
    /// <returns>(N, classes)</returns>
    Tensor Forward(Tensor x, ReadOnlySpan<int> heads);
}
