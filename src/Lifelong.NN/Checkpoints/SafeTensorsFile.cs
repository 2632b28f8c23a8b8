using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>The contents of a safetensors file: its tensors, converted to float32, and its metadata.</summary>
/// <param name="Tensors">Tensors by name, in the order their data lies in the file (which is the order they were saved in by <see cref="SafeTensors.Save"/>).</param>
/// <param name="Metadata">The <c>__metadata__</c> entries; empty when the file has none.</param>
/// <remarks>The checksums entry (<c>lifelong.checksums</c>) is verified by the reader and not part of <see cref="Metadata"/>.</remarks>
public sealed record SafeTensorsFile(OrderedDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The metadata key under which Lifelong records the checksums of every tensor and of the other metadata.</summary>
    public const string ChecksumsKey = SafeTensorsChecksums.Key;

    /// <summary>Whether the file recorded checksums (every one of which matched): true for every file Lifelong wrote since
    /// checksums were added, false for files from elsewhere (PyTorch, timm) or from an earlier Lifelong.</summary>
    public bool Checksummed { get; init; }

    /// <summary>Throws unless every value of every tensor is finite (no NaN, no ±∞); the message names <paramref name="source"/> and the tensor.</summary>
    /// <exception cref="SafeTensorsException">A tensor holds NaN or an infinity.</exception>
    public void RequireFinite(string source) => SafeTensors.RequireFinite(Tensors, source);
}
