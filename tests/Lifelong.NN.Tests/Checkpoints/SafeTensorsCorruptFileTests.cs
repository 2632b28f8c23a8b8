namespace Lifelong.NN.Tests.Checkpoints;

public sealed class SafeTensorsCorruptFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static string Entry(string name, string dtype, string shape, string offsets) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    private void AssertRefused(byte[] bytes, string expectedProblem)
    {
        string path = _directory.File("corrupt.safetensors");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedProblem, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.File);
    }

    private static byte[] Valid() => SafeTensorsTests.Assemble("{" + Entry("w", "F32", "[2]", "[0,8]") + "}", new byte[8]);

    [Fact]
    public void A_file_shorter_than_the_header_length_is_refused() =>
        AssertRefused([0x10, 0x00, 0x00], "too short");

    [Fact]
    public void A_truncated_header_is_refused() =>
        AssertRefused(Valid()[..20], "exceeds");

    [Fact]
    public void A_header_length_beyond_the_file_is_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{}", [], headerLength: 1_000_000), "header length 1000000 exceeds");

    [Theory]
    [InlineData("{\"w\":{\"dtype\":")]
    [InlineData("not json at all")]
    [InlineData("{} trailing")]
    public void A_header_that_is_not_json_is_refused(string header) =>
        AssertRefused(SafeTensorsTests.Assemble(header, []), "not valid JSON");

    [Fact]
    public void A_header_that_is_not_an_object_is_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("[1, 2]", []), "not an object");

    [Fact]
    public void Offsets_beyond_the_data_buffer_are_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("w", "F32", "[4]", "[0,16]") + "}", new byte[8]), "tensor 'w': data_offsets [0, 16] lie beyond the 8-byte data buffer");

    [Fact]
    public void Offsets_that_disagree_with_shape_and_dtype_are_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("w", "F32", "[3]", "[0,8]") + "}", new byte[8]), "tensor 'w': shape [3] of F32 needs 12 bytes");

    [Fact]
    public void Overlapping_tensors_are_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("a", "F32", "[2]", "[0,8]") + "," + Entry("b", "F32", "[1]", "[4,8]") + "}", new byte[8]), "overlap tensor 'a'");

    [Fact]
    public void A_gap_between_tensors_is_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("a", "F32", "[1]", "[0,4]") + "," + Entry("b", "F32", "[1]", "[8,12]") + "}", new byte[12]), "gap");

    [Fact]
    public void Bytes_after_the_last_tensor_are_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("w", "F32", "[2]", "[0,8]") + "}", new byte[12]), "4 bytes after the last tensor");

    [Fact]
    public void A_negative_dimension_is_refused() =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("w", "F32", "[-2]", "[0,8]") + "}", new byte[8]), "tensor 'w': shape has a negative dimension");

    [Theory]
    [InlineData("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "missing 'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "missing 'shape'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", "missing 'data_offsets'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "not [begin, end]")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "end before they begin")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"n\":1}}", "not a string")]
    [InlineData("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", "unknown dtype 'Q7'")]
    public void Malformed_tensor_entries_are_refused(string header, string expectedProblem) =>
        AssertRefused(SafeTensorsTests.Assemble(header, new byte[8]), expectedProblem);

    [Theory]
    [InlineData("I64")]
    [InlineData("U8", 8)]
    [InlineData("BOOL", 8)]
    public void An_unsupported_dtype_is_refused_naming_the_tensor_and_dtype(string dtype, int count = 1) =>
        AssertRefused(SafeTensorsTests.Assemble("{" + Entry("step", dtype, $"[{count}]", "[0,8]") + "}", new byte[8]), $"tensor 'step' has dtype {dtype}, which Lifelong cannot load");

    [Fact]
    public void F64_tensors_are_converted_to_float32()
    {
        string path = _directory.File("f64.safetensors");
        File.WriteAllBytes(path, SafeTensorsTests.Assemble("{" + Entry("x", "F64", "[1]", "[0,8]") + "}", BitConverter.GetBytes(-0.375)));
        Assert.Equal([-0.375f], SafeTensors.Load(path).Tensors["x"].ToArray());
    }
}
