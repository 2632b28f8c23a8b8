using System.Buffers.Binary;
using Lifelong.TensorBoard;

namespace Lifelong.Tests.TensorBoard;

public class Crc32CTests
{
    // RFC 3720 (iSCSI), appendix B.4: CRC-32C of four 32-byte messages.
    [Theory]
    [InlineData("zeros", 0x8A9136AAu)]
    [InlineData("ones", 0x62A8AB43u)]
    [InlineData("ascending", 0x46DD794Eu)]
    [InlineData("descending", 0x113FDB5Cu)]
    public void Crc32c_matches_the_test_vectors_of_rfc_3720(string message, uint expected)
    {
        byte[] data = message switch
        {
            "zeros" => new byte[32],
            "ones" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
            "ascending" => [.. Enumerable.Range(0, 32).Select(i => (byte)i)],
            _ => [.. Enumerable.Range(0, 32).Select(i => (byte)(31 - i))],
        };
        Assert.Equal(expected, Crc32C.Compute(data));
    }

    [Fact]
    public void A_record_is_length_then_masked_crcs_around_the_data_and_reads_back()
    {
        byte[] data = "hello"u8.ToArray();
        using var stream = new MemoryStream();
        TfRecord.Write(stream, data);
        byte[] bytes = stream.ToArray();

        Assert.Equal(TfRecord.Overhead + data.Length, bytes.Length);
        Assert.Equal(5ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        // mask(c) = rotate right by 15, plus 0xA282EAD8 (TensorFlow's crc32c::Mask), written out for the length's CRC.
        uint lengthCrc = Crc32C.Compute(bytes.AsSpan(0, 8));
        Assert.Equal(((lengthCrc >> 15) | (lengthCrc << 17)) + 0xA282EAD8u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(data, bytes[12..17]);
        Assert.Equal(Crc32C.Mask(Crc32C.Compute(data)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(17)));

        var records = TfRecord.Read([.. bytes, .. bytes[..10]]);   // a cut second record is dropped, as a crash leaves it
        Assert.Equal(data, Assert.Single(records).Data);
        bytes[13] ^= 1;
        Assert.Empty(TfRecord.Read(bytes));
    }
}
