using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Lifelong.Tensors;

namespace Lifelong.NN.Tests.Checkpoints;

public sealed class SafeTensorsChecksumTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static OrderedDictionary<string, Tensor> Tensors() => new()
    {
        ["layer.weight"] = Tensor.FromArray([1.5f, -0.25f, 3f, 0.125f, -0f, 7f], 2, 3),
        ["layer.bias"] = Tensor.FromArray([7f, 8f]),
        ["scale"] = Tensor.Scalar(0.5f),
    };

    private static readonly Dictionary<string, string> Metadata = new() { ["format"] = "pt", ["lifelong.progress"] = "{\"task\":1,\"task_step\":12}" };

    private static (JsonElement Header, int DataStart) Header(byte[] bytes)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return (JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, n)).RootElement, 8 + n);
    }

    [Fact]
    public void Each_recorded_checksum_is_the_xxh3_of_the_dtype_shape_and_bytes_as_the_docs_say()
    {
        var bytes = SafeTensors.Serialize(Tensors(), Metadata);
        var (header, start) = Header(bytes);
        var checksums = JsonDocument.Parse(header.GetProperty("__metadata__").GetProperty("lifelong.checksums").GetString()!).RootElement;
        Assert.Equal("xxh3-64", checksums.GetProperty("algorithm").GetString());

        // Recomputed from the file's own bytes, as a reader in another language would: XXH3-64 of "F32[2,3]" + data.
        foreach (var (name, dims) in new[] { ("layer.weight", "2,3"), ("layer.bias", "2"), ("scale", "") })
        {
            var offsets = header.GetProperty(name).GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt32()).ToArray();
            byte[] covered = [.. Encoding.UTF8.GetBytes($"F32[{dims}]"), .. bytes.AsSpan(start + offsets[0], offsets[1] - offsets[0])];
            Assert.Equal(XxHash3.HashToUInt64(covered).ToString("x16"), checksums.GetProperty("tensors").GetProperty(name).GetString());
        }
        // The metadata's: every other entry sorted by key, as key \0 value \0.
        byte[] metadata = Encoding.UTF8.GetBytes("format\0pt\0lifelong.progress\0{\"task\":1,\"task_step\":12}\0");
        Assert.Equal(XxHash3.HashToUInt64(metadata).ToString("x16"), checksums.GetProperty("metadata").GetString());
    }

    [Fact]
    public void A_file_written_by_Lifelong_loads_checksummed_with_the_metadata_it_was_given()
    {
        var file = SafeTensors.Deserialize(SafeTensors.Serialize(Tensors(), Metadata));
        Assert.True(file.Checksummed);
        Assert.Equal(Metadata, file.Metadata);   // the checksums entry is the reader's, not the caller's
    }

    [Fact]
    public void One_flipped_bit_in_a_weight_is_refused_naming_the_file_and_the_tensor()
    {
        var bytes = SafeTensors.Serialize(Tensors(), Metadata);
        var (header, start) = Header(bytes);
        int bias = header.GetProperty("layer.bias").GetProperty("data_offsets")[0].GetInt32();
        bytes[start + bias + 1] ^= 0x01;   // the lowest bit of the second mantissa byte of 7f: 7.0000005, a silent change without checksums
        string path = _directory.File("flipped.safetensors");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'layer.bias'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_edited_metadata_value_is_refused()
    {
        var bytes = SafeTensors.Serialize(Tensors(), Metadata);
        string text = Encoding.Latin1.GetString(bytes);
        int digit = text.IndexOf("12", text.IndexOf("task_step", StringComparison.Ordinal), StringComparison.Ordinal);
        bytes[digit] = (byte)'9';   // task_step 12 → 92, same length: only the checksum can tell

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Deserialize(bytes, "edited.safetensors"));
        Assert.Contains("the metadata (format, lifelong.progress) does not match its checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_single_bit_flip_in_a_file_is_refused_or_leaves_every_tensor_intact()
    {
        var original = SafeTensors.Serialize(Tensors(), Metadata);
        var expected = Tensors();
        int refused = 0;
        for (int bit = 0; bit < original.Length * 8; bit++)
        {
            var bytes = (byte[])original.Clone();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            SafeTensorsFile file;
            try
            {
                file = SafeTensors.Deserialize(bytes);
            }
            catch (SafeTensorsException)
            {
                refused++;
                continue;
            }
            // Accepted: only a flip that changes no value may be (a padding space, or the checksums entry's own key, which
            // leaves a file that reads as unchecksummed but holds the same numbers).
            Assert.Equal(expected.Keys, file.Tensors.Keys);
            foreach (var (name, tensor) in expected)
                Assert.Equal(tensor.ToArray().Select(BitConverter.SingleToInt32Bits), file.Tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.True(refused > original.Length * 8 * 9 / 10, $"only {refused} of {original.Length * 8} flips were refused");
    }

    [Fact]
    public void A_file_from_elsewhere_without_checksums_loads_as_before()
    {
        byte[] data = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(data, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), -2f);
        var file = SafeTensors.Deserialize(SafeTensorsTests.Assemble("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data));
        Assert.False(file.Checksummed);
        Assert.Equal([1.5f, -2f], file.Tensors["w"].ToArray());
    }

    [Fact]
    public void A_checksum_for_a_tensor_the_file_lacks_is_refused()
    {
        var bytes = SafeTensors.Serialize(Tensors(), Metadata);
        string text = Encoding.Latin1.GetString(bytes);
        int at = text.IndexOf("\"scale\":{", StringComparison.Ordinal);
        bytes[at + 1] = (byte)'S';   // the tensor's entry is renamed; its checksum still names 'scale'
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Deserialize(bytes));
        Assert.Contains("tensor 'Scale' has no checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_checksums_key_cannot_be_given_as_metadata() =>
        Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(Tensors(), new Dictionary<string, string> { [SafeTensorsFile.ChecksumsKey] = "x" }));

    [Fact]
    public void Reading_only_the_metadata_sees_the_checksums_entry()
    {
        string path = _directory.File("m.safetensors");
        SafeTensors.Save(path, Tensors(), Metadata);
        var metadata = SafeTensors.ReadMetadata(path);
        Assert.Equal(["format", SafeTensorsFile.ChecksumsKey, "lifelong.progress"], metadata.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_values_are_refused_naming_the_source_the_tensor_and_how_many(float broken)
    {
        var tensors = Tensors();
        tensors["layer.weight"] = Tensor.FromArray([1f, broken, 3f, broken, 5f, 6f], 2, 3);
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.RequireFinite(tensors, "model.safetensors"));
        Assert.StartsWith("model.safetensors: tensor 'layer.weight' holds 2 non-finite values of 6 (the first, at index 1,", error.Message, StringComparison.Ordinal);
        SafeTensors.RequireFinite(Tensors(), "model.safetensors");   // the finite originals pass
    }
}
