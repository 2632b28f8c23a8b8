using Lifelong.Data;
using Lifelong.Tensors;

namespace Lifelong.Tests;

/// <summary>Small synthetic datasets and temporary folders for tests.</summary>
internal static class TestData
{
    /// <summary>A dataset whose image i has pixel 0 = its label and pixel 1 = i % 256, the rest random; classes in round-robin order.</summary>
    public static Dataset Images(int classes, int perClass, ImageShape shape, ulong seed, string name = "synthetic")
    {
        var rng = new Rng(seed);
        int count = classes * perClass;
        var pixels = new byte[count * shape.Size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % classes;
            var image = pixels.AsSpan(i * shape.Size, shape.Size);
            for (int j = 0; j < image.Length; j++) image[j] = (byte)rng.NextInt(256);
            image[0] = (byte)labels[i];
            image[1] = (byte)(i % 256);
        }
        return Dataset.FromBytes(name, shape, pixels, labels, classes);
    }

    /// <summary>An MNIST-shaped split: 1×28×28 images, <paramref name="trainPerClass"/> and <paramref name="testPerClass"/> per class.</summary>
    public static TrainTestSplit Mnistlike(int classes = 10, int trainPerClass = 30, int testPerClass = 10, ulong seed = 1) => new(
        Images(classes, trainPerClass, new ImageShape(1, 28, 28), seed, "mnistlike/train"),
        Images(classes, testPerClass, new ImageShape(1, 28, 28), seed + 1000, "mnistlike/test"));

    /// <summary>A fresh empty folder under the system temp folder; deleted when disposed.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lifelong-tests-" + Guid.NewGuid().ToString("N"));

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { }
        }
    }
}
