using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The contents of a safetensors file: its tensors, converted to float32, and its metadata.</summary>
/// <param name="Tensors">Tensors by name, in the order their data lies in the file (which is the order they were saved in by <see cref="SafeTensors.Save"/>).</param>
/// <param name="Metadata">The <c>__metadata__</c> entries; empty when the file has none.</param>
public sealed record SafeTensorsFile(OrderedDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
