namespace Lifelong.Data;

/// <summary>Reads the binary versions of CIFAR-10 and CIFAR-100 (the <c>*-binary.tar.gz</c> archives from the Toronto site).</summary>
/// <remarks>
/// A file is a sequence of fixed-size records: CIFAR-10 = 1 label byte (0..9) + 3,072 pixel bytes; CIFAR-100 = 1 coarse
/// label byte (0..19) + 1 fine label byte (0..99) + 3,072 pixel bytes. Pixels are 1,024 red, 1,024 green, then 1,024 blue
/// values, each plane row-major 32×32, which is exactly (C, H, W). The format has no magic number, so a file whose
/// length is not a whole number of records, or with a label out of range, is reported as corrupt.
/// CIFAR-10 files: <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>.
/// CIFAR-100 files: <c>train.bin</c>, <c>test.bin</c>; the fine labels are used.
/// </remarks>
public static class CifarBinary
{
    /// <summary>The shape of a CIFAR image, 3 × 32 × 32.</summary>
    public static readonly ImageShape Shape = new(3, 32, 32);

    /// <summary>The CIFAR-10 training batch file names.</summary>
    public static readonly string[] Cifar10TrainFiles = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The CIFAR-10 test batch file name.</summary>
    public const string Cifar10TestFile = "test_batch.bin";

    /// <summary>The CIFAR-100 training file name.</summary>
    public const string Cifar100TrainFile = "train.bin";

    /// <summary>The CIFAR-100 test file name.</summary>
    public const string Cifar100TestFile = "test.bin";

    /// <summary>Reads CIFAR-10 binary batches (concatenated in the given order).</summary>
    public static Dataset ReadCifar10(string name, params string[] paths) => Read(name, paths, labelBytes: 1, classCount: 10);

    /// <summary>Reads CIFAR-100 binary files with their fine labels (concatenated in the given order).</summary>
    public static Dataset ReadCifar100(string name, params string[] paths) => Read(name, paths, labelBytes: 2, classCount: 100);

    /// <summary>Loads CIFAR-10 from a folder holding the six batch files.</summary>
    public static TrainTestSplit LoadCifar10(string directory) => new(
        ReadCifar10("cifar10/train", [.. Cifar10TrainFiles.Select(f => Path.Combine(directory, f))]),
        ReadCifar10("cifar10/test", Path.Combine(directory, Cifar10TestFile)));

    /// <summary>Loads CIFAR-100 (fine labels) from a folder holding <c>train.bin</c> and <c>test.bin</c>.</summary>
    public static TrainTestSplit LoadCifar100(string directory) => new(
        ReadCifar100("cifar100/train", Path.Combine(directory, Cifar100TrainFile)),
        ReadCifar100("cifar100/test", Path.Combine(directory, Cifar100TestFile)));

    private static Dataset Read(string name, string[] paths, int labelBytes, int classCount)
    {
        int recordLength = labelBytes + Shape.Size;
        var pixels = new List<byte[]>();
        var labels = new List<int>();
        foreach (string path in paths)
        {
            if (!File.Exists(path)) throw new DatasetException($"{path}: file not found. Put the CIFAR binary files in this folder (see docs/datasets.md).", path);
            byte[] content = File.ReadAllBytes(path);
            if (content.Length == 0 || content.Length % recordLength != 0)
                throw new DatasetException($"{path}: {content.Length} bytes is not a whole number of {recordLength}-byte CIFAR-{classCount} records; the file is truncated or not a CIFAR-{classCount} binary file (CIFAR-10 records have 1 label byte, CIFAR-100 records 2).", path);
            int count = content.Length / recordLength;
            var images = new byte[count * Shape.Size];
            for (int i = 0; i < count; i++)
            {
                var record = content.AsSpan(i * recordLength, recordLength);
                int label = record[labelBytes - 1];
                if (labelBytes == 2 && record[0] >= 20)
                    throw new DatasetException($"{path}: record {i} has coarse label {record[0]}, outside 0..19; the file is corrupt or not CIFAR-100.", path);
                if (label >= classCount)
                    throw new DatasetException($"{path}: record {i} has label {label}, outside 0..{classCount - 1}; the file is corrupt or not CIFAR-{classCount}.", path);
                labels.Add(label);
                record[labelBytes..].CopyTo(images.AsSpan(i * Shape.Size));
            }
            pixels.Add(images);
        }
        var all = new byte[labels.Count * Shape.Size];
        int position = 0;
        foreach (var part in pixels)
        {
            part.CopyTo(all, position);
            position += part.Length;
        }
        return Dataset.FromBytes(name, Shape, all, [.. labels], classCount);
    }
}
