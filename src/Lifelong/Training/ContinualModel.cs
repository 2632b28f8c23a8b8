using Lifelong.NN;

namespace Lifelong.Training;

/// <summary>A network with one or several output heads: logits for sample n are the <c>classes</c> outputs of head hₙ.</summary>
/// <remarks>
/// A multi-head model (task-incremental learning: a head per task, chosen by the task id given at test) is a network whose
/// last layer has heads × classes outputs; head h is the block of rows h·classes..(h+1)·classes−1 of that layer. This is
/// exactly a separate linear head per task sharing the body, costs one matrix product instead of H, and leaves the
/// network an ordinary <see cref="Module"/> whose parameter names (<c>head.weight</c>) stay the single-head ones.
/// A head's rows receive gradient only from samples of that head, as with separate heads.
/// </remarks>
public sealed class ContinualModel
{
    /// <summary>Wraps <paramref name="network"/>, whose output width must be <paramref name="heads"/> × <paramref name="classes"/>.</summary>
    public ContinualModel(Module network, int classes, int heads = 1)
    {
        if (classes <= 0 || heads <= 0) throw new ArgumentOutOfRangeException(nameof(classes), $"ContinualModel: need classes > 0 and heads > 0, got {classes} and {heads}.");
        (Network, Classes, Heads) = (network, classes, heads);
    }

    /// <summary>The network, outputting (N, Heads·Classes).</summary>
    public Module Network { get; private set; }

    /// <summary>Puts <paramref name="network"/> in place of the current network: for methods that change the architecture
    /// (DEN grows layers by building a larger network). The caller owns the optimizer over the new parameters.</summary>
    public void ReplaceNetwork(Module network) => Network = network ?? throw new ArgumentNullException(nameof(network));

    /// <summary>Classes per head.</summary>
    public int Classes { get; }

    /// <summary>Number of heads (1: single head).</summary>
    public int Heads { get; }

    /// <summary>Logits of each sample on its head.</summary>
    /// <param name="x">(N, ...) inputs.</param> <param name="heads">(N) head per sample; ignored with one head.</param>
    /// <returns>(N, Classes)</returns>
    public Tensor Forward(Tensor x, ReadOnlySpan<int> heads) =>
        Network is IHeadRoutedNetwork routed ? routed.Forward(x, Heads == 1 ? new int[x.Shape[0]] : heads) : SelectHeads(Network.Forward(x), heads);

    /// <summary>As <see cref="Forward"/>, also returning each hidden layer's activations when the network exposes them (else null).</summary>
    public (Tensor Logits, IReadOnlyList<Tensor>? Hidden) ForwardWithFeatures(Tensor x, ReadOnlySpan<int> heads)
    {
        if (Network is not IHiddenFeatures features || Network is IHeadRoutedNetwork) return (Forward(x, heads), null);
        var forward = features.ForwardWithFeatures(x);
        return (SelectHeads(forward.Output, heads), forward.Hidden);
    }

    /// <summary>Restricts full network outputs (N, Heads·Classes) to each sample's head: (N, Classes).</summary>
    public Tensor SelectHeads(Tensor outputs, ReadOnlySpan<int> heads)
    {
        int n = outputs.Shape[0];
        if (outputs.Shape.Rank != 2 || outputs.Shape[1] != Heads * Classes)
            throw new ArgumentException($"ContinualModel: the network output {outputs.Shape} is not (N, {Heads}×{Classes}).", nameof(outputs));
        if (Heads == 1) return outputs;
        if (heads.Length != n) throw new ArgumentException($"ContinualModel: {heads.Length} head ids for {n} samples.", nameof(heads));
        var indices = new int[n * Classes];
        for (int i = 0; i < n; i++)
        {
            if ((uint)heads[i] >= (uint)Heads) throw new ArgumentOutOfRangeException(nameof(heads), heads[i], $"ContinualModel: head id outside 0..{Heads - 1}.");
            int from = i * Heads * Classes + heads[i] * Classes;
            for (int c = 0; c < Classes; c++) indices[i * Classes + c] = from + c;
        }
        return outputs.Take(indices, new Shape(n, Classes));
    }
}
