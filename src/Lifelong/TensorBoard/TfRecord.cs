using System.Buffers.Binary;

namespace Lifelong.TensorBoard;

/// <summary>TFRecord framing, the container of TensorBoard event files: each record is
/// <c>uint64 length · uint32 masked CRC-32C(length) · data · uint32 masked CRC-32C(data)</c>, little-endian.</summary>
public static class TfRecord
{
    /// <summary>Bytes a record adds around its data: the length (8) and two checksums (4 + 4).</summary>
    public const int Overhead = 16;

    /// <summary>Writes <paramref name="data"/> as one record.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>The records of <paramref name="bytes"/> with their end offsets, in order, stopping at the first record that is
    /// cut short or fails a checksum (the tail a crash can leave).</summary>
    public static IReadOnlyList<(byte[] Data, long End)> Read(byte[] bytes)
    {
        var records = new List<(byte[] Data, long End)>();
        long offset = 0;
        while (offset + 12 <= bytes.Length)
        {
            var header = bytes.AsSpan((int)offset, 12);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) != Crc32C.Masked(header[..8])) return records;
            if (length > (ulong)(bytes.Length - offset - Overhead)) return records;
            var data = bytes.AsSpan((int)(offset + 12), (int)length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)(offset + 12 + (long)length), 4)) != Crc32C.Masked(data)) return records;
            offset += Overhead + (long)length;
            records.Add((data.ToArray(), offset));
        }
        return records;
    }
}
