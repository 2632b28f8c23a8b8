namespace Lifelong.Data;

/// <summary>A labelled image dataset held in memory: pixels as bytes (0..255) or floats (in [0, 1]), one int label per image.</summary>
/// <remarks>
/// Images are stored back to back, each <see cref="Shape"/>.Size values in (C, H, W) order. Byte storage is what the
/// readers produce and costs a quarter of the memory; float storage holds derived images (rotated MNIST). Either way
/// <see cref="CopyImage"/> yields floats in [0, 1]; normalisation to [−1, 1] or per-channel statistics happens in the
/// <see cref="DataLoader"/>. A dataset is treated as immutable: the transforming methods return new datasets.
/// </remarks>
public sealed class Dataset
{
    private readonly byte[]? _bytes;
    private readonly float[]? _floats;
    private readonly int[] _labels;

    private Dataset(string name, ImageShape shape, byte[]? bytes, float[]? floats, int[] labels, int classCount)
    {
        int length = bytes?.Length ?? floats!.Length;
        if (shape.Size <= 0) throw new ArgumentException($"Dataset '{name}': image shape {shape} is empty.", nameof(shape));
        if (length != labels.Length * shape.Size)
            throw new ArgumentException($"Dataset '{name}': {length} pixel values do not make {labels.Length} images of {shape}.", nameof(labels));
        foreach (int label in labels)
            if ((uint)label >= (uint)classCount)
                throw new ArgumentException($"Dataset '{name}': label {label} is outside 0..{classCount - 1}.", nameof(labels));
        (Name, Shape, _bytes, _floats, _labels, ClassCount) = (name, shape, bytes, floats, labels, classCount);
    }

    /// <summary>Wraps byte pixels (taken as storage, not copied); <paramref name="pixels"/> has Count·Shape.Size values.</summary>
    public static Dataset FromBytes(string name, ImageShape shape, byte[] pixels, int[] labels, int classCount) =>
        new(name, shape, pixels, null, labels, classCount);

    /// <summary>Wraps float pixels in [0, 1] (taken as storage, not copied); <paramref name="pixels"/> has Count·Shape.Size values.</summary>
    public static Dataset FromFloats(string name, ImageShape shape, float[] pixels, int[] labels, int classCount) =>
        new(name, shape, null, pixels, labels, classCount);

    /// <summary>A short name for messages and reports ("mnist/train").</summary>
    public string Name { get; }

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape { get; }

    /// <summary>Number of images.</summary>
    public int Count => _labels.Length;

    /// <summary>Number of classes; labels lie in 0..ClassCount−1.</summary>
    public int ClassCount { get; }

    /// <summary>The labels, one per image.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>True when pixels are stored as bytes (0..255), false when stored as floats in [0, 1].</summary>
    public bool HasBytePixels => _bytes is not null;

    /// <summary>The byte pixels of image <paramref name="index"/>; throws when the dataset stores floats.</summary>
    public ReadOnlySpan<byte> ImageBytes(int index) =>
        (_bytes ?? throw new InvalidOperationException($"Dataset '{Name}' stores float pixels.")).AsSpan(index * Shape.Size, Shape.Size);

    /// <summary>The float pixels of image <paramref name="index"/>; throws when the dataset stores bytes.</summary>
    public ReadOnlySpan<float> ImageFloats(int index) =>
        (_floats ?? throw new InvalidOperationException($"Dataset '{Name}' stores byte pixels.")).AsSpan(index * Shape.Size, Shape.Size);

    /// <summary>Writes image <paramref name="index"/> into <paramref name="destination"/> (length Shape.Size) as floats in [0, 1].</summary>
    public void CopyImage(int index, Span<float> destination)
    {
        if (_floats is not null)
        {
            _floats.AsSpan(index * Shape.Size, Shape.Size).CopyTo(destination);
            return;
        }
        var source = _bytes.AsSpan(index * Shape.Size, Shape.Size);
        // x / 255 as torchvision's ToTensor; the conversion is exact and the division correctly rounded, vectorized or not.
        var pixels = destination[..source.Length];
        System.Numerics.Tensors.TensorPrimitives.ConvertChecked<byte, float>(source, pixels);
        System.Numerics.Tensors.TensorPrimitives.Divide(pixels, 255f, pixels);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order (repeats allowed), with their labels.</summary>
    public Dataset Select(ReadOnlySpan<int> indices, string? name = null)
    {
        int size = Shape.Size;
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++) labels[i] = _labels[indices[i]];
        if (_bytes is not null)
        {
            var pixels = new byte[indices.Length * size];
            for (int i = 0; i < indices.Length; i++) _bytes.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size));
            return FromBytes(name ?? Name, Shape, pixels, labels, ClassCount);
        }
        var floats = new float[indices.Length * size];
        for (int i = 0; i < indices.Length; i++) _floats.AsSpan(indices[i] * size, size).CopyTo(floats.AsSpan(i * size));
        return FromFloats(name ?? Name, Shape, floats, labels, ClassCount);
    }

    /// <summary>The same images (shared, not copied) with new labels in 0..<paramref name="classCount"/>−1.</summary>
    public Dataset WithLabels(int[] labels, int classCount, string? name = null) =>
        new(name ?? Name, Shape, _bytes, _floats, labels, classCount);

    /// <summary>Indices of the images whose label is in <paramref name="classes"/>, in dataset order.</summary>
    public int[] IndicesOf(ReadOnlySpan<int> classes)
    {
        var wanted = new bool[ClassCount];
        foreach (int c in classes) wanted[c] = true;
        var result = new List<int>();
        for (int i = 0; i < _labels.Length; i++) if (wanted[_labels[i]]) result.Add(i);
        return [.. result];
    }

    /// <summary>How many images carry each label: element c counts label c.</summary>
    public int[] LabelHistogram()
    {
        var counts = new int[ClassCount];
        foreach (int label in _labels) counts[label]++;
        return counts;
    }

    /// <summary>Applies <paramref name="map"/> to every image (source as floats in [0, 1], destination of the same shape) and returns a float dataset.</summary>
    public Dataset MapImages(ImageMap map, string? name = null)
    {
        int size = Shape.Size;
        var source = new float[size];
        var pixels = new float[Count * size];
        for (int i = 0; i < Count; i++)
        {
            CopyImage(i, source);
            map(i, source, pixels.AsSpan(i * size, size));
        }
        return FromFloats(name ?? Name, Shape, pixels, (int[])_labels.Clone(), ClassCount);
    }

    /// <summary>Reorders the pixels of every image: output pixel j is input pixel <paramref name="permutation"/>[j]. Keeps byte storage.</summary>
    public Dataset PermutePixels(ReadOnlySpan<int> permutation, string? name = null)
    {
        int size = Shape.Size;
        if (permutation.Length != size) throw new ArgumentException($"Dataset '{Name}': a pixel permutation needs {size} entries, got {permutation.Length}.", nameof(permutation));
        if (_bytes is null)
        {
            int[] order = permutation.ToArray();
            return MapImages((_, s, d) => { for (int j = 0; j < d.Length; j++) d[j] = s[order[j]]; }, name);
        }
        var pixels = new byte[_bytes.Length];
        for (int i = 0; i < Count; i++)
        {
            var s = _bytes.AsSpan(i * size, size);
            var d = pixels.AsSpan(i * size, size);
            for (int j = 0; j < size; j++) d[j] = s[permutation[j]];
        }
        return FromBytes(name ?? Name, Shape, pixels, (int[])_labels.Clone(), ClassCount);
    }

    /// <summary>Stacks datasets of one image shape; the labels of dataset k are shifted by the class counts of datasets 0..k−1.</summary>
    public static Dataset Concat(string name, params Dataset[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("Concat needs at least one dataset.", nameof(parts));
        var shape = parts[0].Shape;
        foreach (var part in parts)
            if (part.Shape != shape) throw new ArgumentException($"Concat: '{part.Name}' has images of {part.Shape}, '{parts[0].Name}' of {shape}.", nameof(parts));
        var labels = new List<int>();
        int offset = 0;
        foreach (var part in parts)
        {
            foreach (int label in part.Labels) labels.Add(label + offset);
            offset += part.ClassCount;
        }
        if (parts.All(p => p.HasBytePixels))
        {
            var bytes = new byte[labels.Count * shape.Size];
            int position = 0;
            foreach (var part in parts)
            {
                part._bytes!.CopyTo(bytes, position);
                position += part._bytes.Length;
            }
            return FromBytes(name, shape, bytes, [.. labels], offset);
        }
        var floats = new float[labels.Count * shape.Size];
        int at = 0;
        foreach (var part in parts)
            for (int i = 0; i < part.Count; i++, at++) part.CopyImage(i, floats.AsSpan(at * shape.Size, shape.Size));
        return FromFloats(name, shape, floats, [.. labels], offset);
    }
}

/// <summary>Computes one output image from one input image: <paramref name="source"/> and <paramref name="destination"/> hold floats in [0, 1].</summary>
/// <param name="index">The image's index in the dataset.</param>
/// <param name="source">The input image, (C, H, W).</param>
/// <param name="destination">The output image, same shape.</param>
public delegate void ImageMap(int index, ReadOnlySpan<float> source, Span<float> destination);
