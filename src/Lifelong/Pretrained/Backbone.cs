using Lifelong.NN;
using Lifelong.Training;

namespace Lifelong.Pretrained;

/// <summary>Which part of a network to tune and merge.</summary>
public enum TuneScope
{
    /// <summary>Every backbone parameter (all but the classifier <c>head.*</c>).</summary>
    All,

    /// <summary>A ViT's attention parameters only (<c>blocks.N.attn.*</c>).</summary>
    Attention,

    /// <summary>A ViT's MLP parameters only (<c>blocks.N.mlp.*</c>).</summary>
    Mlp,
}

/// <summary>A classifier network seen as backbone + head: the features its head classifies, and its backbone parameters.</summary>
/// <remarks>
/// The head is the module named <c>head</c> (our <see cref="Mlp"/>, <see cref="Cnn"/> and <see cref="Vit"/>, and timm). The
/// features are what the head reads: a ViT's class token after the final norm (<see cref="Vit.ForwardPreLogits"/>), the
/// last hidden layer of a model with <see cref="IHiddenFeatures"/>.
/// </remarks>
public static class Backbone
{
    /// <summary>The features the head of <paramref name="network"/> classifies, computed in evaluation mode without a graph.</summary>
    /// <param name="network">The network.</param> <param name="inputs">(N, ...) a batch as the network takes it.</param>
    /// <returns>(N, D)</returns>
    public static Tensor Features(Module network, Tensor inputs)
    {
        bool wasTraining = network.IsTraining;
        network.Eval();
        try
        {
            using var noGrad = Autograd.NoGrad();
            return network switch
            {
                Vit vit => vit.ForwardPreLogits(inputs),
                IHiddenFeatures { HiddenLayerNames.Count: > 0 } hidden => hidden.ForwardWithFeatures(inputs).Hidden[^1] is var h && h.Rank == 2 ? h : h.Flatten(1),
                _ => throw new NotSupportedException($"{network.GetType().Name}: no backbone features; a training-free head needs a ViT or a model exposing its hidden layers."),
            };
        }
        finally
        {
            network.Train(wasTraining);
        }
    }

    /// <summary>The features of a training batch.</summary>
    public static Tensor Features(Module network, TrainingBatch batch) => Features(network, batch.ToTensor());

    /// <summary>True for the classifier's parameters (<c>head.*</c>).</summary>
    public static bool IsHead(string name) => name == "head" || name.StartsWith("head.", StringComparison.Ordinal);

    /// <summary>The backbone parameters in <paramref name="scope"/>, in the network's order.</summary>
    /// <exception cref="ArgumentException">The scope selects nothing (attention or MLP scope on a network without ViT blocks).</exception>
    public static List<(string Name, Parameter Parameter)> Parameters(Module network, TuneScope scope)
    {
        List<(string Name, Parameter Parameter)> selected = [.. network.NamedParameters().Where(p => !IsHead(p.Name) && scope switch
        {
            TuneScope.Attention => p.Name.Contains(".attn.", StringComparison.Ordinal),
            TuneScope.Mlp => p.Name.Contains(".mlp.", StringComparison.Ordinal),
            _ => true,
        })];
        if (selected.Count == 0)
            throw new ArgumentException($"{network.GetType().Name} has no backbone parameters in scope '{scope}' (attention and mlp scopes need a ViT's blocks.N.attn / blocks.N.mlp).", nameof(scope));
        return selected;
    }

    /// <summary>The class slot head·classes + label of each row (the layout of <see cref="ContinualModel"/>'s outputs).</summary>
    public static int[] Slots(ContinualModel model, TrainingBatch batch)
    {
        var slots = new int[batch.Count];
        for (int i = 0; i < slots.Length; i++) slots[i] = (model.Heads == 1 ? 0 : batch.Heads[i] * model.Classes) + batch.Labels[i];
        return slots;
    }

    /// <summary>A head's slot scores (N, Heads·Classes) restricted to each row's head: (N, Classes).</summary>
    public static Tensor Logits(ContinualModel model, ClassHead head, Tensor features, TrainingBatch batch) =>
        model.SelectHeads(head.Logits(features), batch.Heads);
}
