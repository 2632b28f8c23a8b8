using System.IO.Compression;
using Lifelong.Data;

namespace Lifelong.Tests.Data;

public class IdxFileTests
{
    private static void WriteMnistPair(string folder, string prefix, int count, bool gzip = false)
    {
        var pixels = new byte[count * 4 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7);
        var labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte)(i % 10);
        Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), [count, 4, 3], pixels, gzip);
        Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), [count], labels, gzip);
    }

    private static void Write(string path, int[] dims, byte[] data, bool gzip)
    {
        if (!gzip)
        {
            IdxFile.Write(path, dims, data);
            return;
        }
        using var file = File.Create(path + ".gz");
        using var compressed = new GZipStream(file, CompressionLevel.Fastest);
        IdxFile.Write(compressed, dims, data);
    }

    [Fact]
    public void A_written_file_reads_back_with_its_dimensions_and_bytes()
    {
        using var temp = new TestData.TempFolder();
        IdxFile.Write(temp.File("x"), [2, 3], [1, 2, 3, 4, 5, 6]);
        var (dims, data) = IdxFile.Read(temp.File("x"));
        Assert.Equal([2, 3], dims);
        Assert.Equal([1, 2, 3, 4, 5, 6], data);
    }

    [Fact]
    public void Gzip_compressed_files_are_read_like_plain_ones()
    {
        using var temp = new TestData.TempFolder();
        WriteMnistPair(temp.Path, "train", 12, gzip: true);
        WriteMnistPair(temp.Path, "t10k", 5, gzip: true);
        var split = DatasetStore.LoadIdxDirectory(temp.Path, "tiny");
        Assert.Equal(12, split.Train.Count);
        Assert.Equal(5, split.Test.Count);
        Assert.Equal(new ImageShape(1, 4, 3), split.Shape);
        Assert.Equal(10, split.ClassCount);
        Assert.Equal(7, split.Train.ImageBytes(0)[1]);
    }

    [Fact]
    public void Prefixed_and_test_named_files_are_found_as_emnist_names_them()
    {
        using var temp = new TestData.TempFolder();
        WriteMnistPair(temp.Path, "emnist-digits-train", 8);
        WriteMnistPair(temp.Path, "emnist-digits-test", 4);
        var split = DatasetStore.LoadIdxDirectory(temp.Path, "emnist");
        Assert.Equal(8, split.Train.Count);
        Assert.Equal(4, split.Test.Count);
    }

    [Fact]
    public void A_wrong_magic_number_is_reported_with_the_file_name()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllBytes(temp.File("bad"), [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 1, 9]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(temp.File("bad")));
        Assert.Contains(temp.File("bad"), e.Message);
        Assert.Contains("wrong magic number", e.Message);
        Assert.Equal(temp.File("bad"), e.Path);
    }

    [Fact]
    public void A_non_byte_element_type_is_reported_as_unsupported()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllBytes(temp.File("floats"), [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(temp.File("floats")));
        Assert.Contains("0x0D is not supported", e.Message);
    }

    [Fact]
    public void A_truncated_body_is_reported_with_expected_and_actual_sizes()
    {
        using var temp = new TestData.TempFolder();
        IdxFile.Write(temp.File("full"), [10, 2, 2], new byte[40]);
        var bytes = File.ReadAllBytes(temp.File("full"));
        File.WriteAllBytes(temp.File("cut"), bytes[..^5]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(temp.File("cut")));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("40 bytes", e.Message);
        Assert.Contains("holds 35", e.Message);
    }

    [Fact]
    public void A_truncated_header_is_reported()
    {
        using var temp = new TestData.TempFolder();
        File.WriteAllBytes(temp.File("stub"), [0, 0, 8, 3, 0, 0]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(temp.File("stub")));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void A_truncated_gzip_stream_is_reported_as_corrupt()
    {
        using var temp = new TestData.TempFolder();
        WriteMnistPair(temp.Path, "train", 50, gzip: true);
        string path = temp.File("train-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Trailing_bytes_beyond_the_header_size_are_reported()
    {
        using var temp = new TestData.TempFolder();
        IdxFile.Write(temp.File("long"), [2], [1, 2, 3]);
        var e = Assert.Throws<DatasetException>(() => IdxFile.Read(temp.File("long")));
        Assert.Contains("longer than its header", e.Message);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        using var temp = new TestData.TempFolder();
        var e = Assert.Throws<DatasetException>(() => DatasetStore.LoadIdxDirectory(temp.Path, "kmnist"));
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Image_and_label_files_of_different_lengths_are_rejected()
    {
        using var temp = new TestData.TempFolder();
        WriteMnistPair(temp.Path, "a", 6);
        WriteMnistPair(temp.Path, "b", 7);
        var e = Assert.Throws<DatasetException>(() => MnistFormat.Load(temp.File("a-images-idx3-ubyte"), temp.File("b-labels-idx1-ubyte"), "mixed"));
        Assert.Contains("do not belong together", e.Message);
    }

    [Fact]
    public void Swapping_image_and_label_files_is_reported()
    {
        using var temp = new TestData.TempFolder();
        WriteMnistPair(temp.Path, "a", 6);
        var e = Assert.Throws<DatasetException>(() => MnistFormat.Load(temp.File("a-labels-idx1-ubyte"), temp.File("a-images-idx3-ubyte"), "swapped"));
        Assert.Contains("Is it a label file?", e.Message);
    }
}
