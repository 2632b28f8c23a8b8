using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Lifelong.Tensors;

namespace Lifelong.NN.Tests.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Saved_tensors_and_metadata_load_back_identically_in_order()
    {
        var tensors = new OrderedDictionary<string, Tensor>
        {
            ["layer.weight"] = Tensor.FromArray([1.5f, -0.25f, float.MaxValue, float.Epsilon, -0f, 3e-39f], 2, 3),
            ["scale"] = Tensor.Scalar(0.1f),
            ["empty"] = Tensor.Zeros(0, 4),
            ["layer.bias"] = Tensor.FromArray([7f, 8f]),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };
        string path = _directory.File("model.safetensors");

        SafeTensors.Save(path, tensors, metadata);
        var loaded = SafeTensors.Load(path);

        Assert.Equal(tensors.Keys, loaded.Tensors.Keys);
        foreach (var (name, tensor) in tensors)
        {
            Assert.Equal(tensor.Shape, loaded.Tensors[name].Shape);
            Assert.Equal(tensor.ToArray().Select(BitConverter.SingleToInt32Bits), loaded.Tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(0, loaded.Tensors["scale"].Rank);
        Assert.Equal(metadata, loaded.Metadata);
        Assert.Equal([path], Directory.GetFiles(_directory.Path));   // no temporary file left behind
    }

    [Fact]
    public void The_writer_follows_the_specification_byte_for_byte()
    {
        // 8-byte little-endian N, then N bytes of JSON padded with spaces to a multiple of 8, then the F32 data in order.
        var bytes = SafeTensors.Serialize(
            new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([1f, 2f]), ["b"] = Tensor.FromArray([3f], 1, 1) },
            new Dictionary<string, string> { ["format"] = "pt" });

        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        Assert.Equal((long)n + 8 + 12, bytes.Length);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.EndsWith("}", header.TrimEnd(' '), StringComparison.Ordinal);   // padding is spaces only
        using var json = JsonDocument.Parse(header);
        Assert.Equal("pt", json.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        var b = json.RootElement.GetProperty("b");
        Assert.Equal("F32", b.GetProperty("dtype").GetString());
        Assert.Equal([1, 1], b.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([8, 12], b.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1f, 2f, 3f], [.. Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n + 4 * i)))]);
    }

    [Fact]
    public void A_file_assembled_from_the_specification_loads_including_f16_and_bf16()
    {
        // Header entries deliberately out of data order, and no padding: neither is required by the format.
        const string header =
            "{\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[16,22]}," +
            "\"__metadata__\":{\"format\":\"pt\"}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}," +
            "\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]}}";
        byte[] data =
        [
            0x00, 0x00, 0xC0, 0x3F,  0x00, 0x00, 0x80, 0xBE,   // F32 1.5 (0x3FC00000), −0.25 (0xBE800000)
            0x00, 0x3C,  0x00, 0xC0,  0x00, 0x38,  0xFF, 0x7B, // F16 1 (0x3C00), −2 (0xC000), 0.5 (0x3800), 65504 (0x7BFF)
            0x80, 0x3F,  0x20, 0xC0,  0x49, 0x40,              // BF16 1 (0x3F80), −2.5 (0xC020), 3.140625 (0x4049: π's top 16 bits)
        ];
        string path = _directory.File("handmade.safetensors");
        File.WriteAllBytes(path, Assemble(header, data));

        var file = SafeTensors.Load(path);

        Assert.Equal(["a", "h", "b"], file.Tensors.Keys);   // in data order
        Assert.Equal([1.5f, -0.25f], file.Tensors["a"].ToArray());
        Assert.Equal(new Shape(2, 2), file.Tensors["h"].Shape);
        Assert.Equal([1f, -2f, 0.5f, 65504f], file.Tensors["h"].ToArray());
        Assert.Equal([1f, -2.5f, 3.140625f], file.Tensors["b"].ToArray());
        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void Saving_over_an_existing_checkpoint_replaces_it()
    {
        string path = _directory.File("ckpt.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones(100) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["y"] = Tensor.Zeros(2) });
        Assert.Equal(["y"], SafeTensors.Load(path).Tensors.Keys);
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void A_tensor_named_like_the_metadata_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }));
    }

    /// <summary>N as a little-endian u64, the header's UTF-8 bytes, then the data buffer.</summary>
    internal static byte[] Assemble(string header, byte[] data, ulong? headerLength = null)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }
}
