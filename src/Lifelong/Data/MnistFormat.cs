namespace Lifelong.Data;

/// <summary>Reads an image file and a label file in IDX format (MNIST, Fashion-MNIST, KMNIST, EMNIST) into a <see cref="Dataset"/>.</summary>
public static class MnistFormat
{
    /// <summary>Loads (N, H, W) images and (N) labels; images become (1, H, W).</summary>
    /// <param name="imagesPath">An IDX file with 3 dimensions (count, rows, columns).</param>
    /// <param name="labelsPath">An IDX file with 1 dimension (count).</param>
    /// <param name="name">The dataset's name.</param>
    /// <param name="classCount">Number of classes; null takes the largest label + 1.</param>
    /// <remarks>EMNIST's files store each image transposed (column-major); they load as stored.</remarks>
    public static Dataset Load(string imagesPath, string labelsPath, string name, int? classCount = null)
    {
        var (imageDims, pixels) = IdxFile.Read(imagesPath);
        if (imageDims.Length != 3)
            throw new DatasetException($"{imagesPath}: an image IDX file needs 3 dimensions (count, rows, columns), this one has {imageDims.Length} ({string.Join('x', imageDims)}). Is it a label file?", imagesPath);
        var (labelDims, labelBytes) = IdxFile.Read(labelsPath);
        if (labelDims.Length != 1)
            throw new DatasetException($"{labelsPath}: a label IDX file needs 1 dimension (count), this one has {labelDims.Length} ({string.Join('x', labelDims)}). Is it an image file?", labelsPath);
        if (labelDims[0] != imageDims[0])
            throw new DatasetException($"{labelsPath}: holds {labelDims[0]} labels but {imagesPath} holds {imageDims[0]} images; the two files do not belong together.", labelsPath);
        var labels = new int[labelBytes.Length];
        int maxLabel = -1;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
            maxLabel = Math.Max(maxLabel, labels[i]);
        }
        int classes = classCount ?? maxLabel + 1;
        if (maxLabel >= classes)
            throw new DatasetException($"{labelsPath}: label {maxLabel} is outside 0..{classes - 1}; the file is corrupt or not a {name} label file.", labelsPath);
        return Dataset.FromBytes(name, new ImageShape(1, imageDims[1], imageDims[2]), pixels, labels, Math.Max(classes, 1));
    }
}
