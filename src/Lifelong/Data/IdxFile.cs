using System.Buffers.Binary;
using System.IO.Compression;

namespace Lifelong.Data;

/// <summary>The IDX format of MNIST, Fashion-MNIST, KMNIST and EMNIST: a magic number, big-endian dimensions, then unsigned bytes.</summary>
/// <remarks>
/// Layout: bytes 0–1 are zero, byte 2 is the element type (0x08 = unsigned byte, the only type these datasets use),
/// byte 3 the number of dimensions d; then d big-endian int32 sizes; then the product of the sizes in bytes, row-major.
/// Files may be gzip-compressed (detected by content, whatever the name). Every deviation — wrong magic, another
/// element type, a truncated or over-long body — is a <see cref="DatasetException"/> naming the file.
/// </remarks>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an unsigned-byte IDX file (optionally gzip-compressed): its dimensions and its data.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        byte[] content = ReadMaybeCompressed(path);
        if (content.Length < 4)
            throw new DatasetException($"{path}: truncated IDX file ({content.Length} bytes, the header alone needs 4). Delete it and fetch or copy it again.", path);
        if (content[0] != 0 || content[1] != 0)
            throw new DatasetException($"{path}: not an IDX file (wrong magic number 0x{content[0]:X2}{content[1]:X2}{content[2]:X2}{content[3]:X2}; IDX files start with 0x0000). Check that the file is an MNIST-style IDX file, uncompressed or .gz.", path);
        if (content[2] != UnsignedByteType)
            throw new DatasetException($"{path}: IDX element type 0x{content[2]:X2} is not supported (wrong magic number; only 0x08, unsigned byte, is read).", path);
        int rank = content[3];
        if (rank == 0)
            throw new DatasetException($"{path}: IDX header declares 0 dimensions (wrong magic number 0x000008{rank:X2}).", path);
        int headerLength = 4 + 4 * rank;
        if (content.Length < headerLength)
            throw new DatasetException($"{path}: truncated IDX file ({content.Length} bytes, the header needs {headerLength}). Delete it and fetch or copy it again.", path);
        var dimensions = new int[rank];
        long expected = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(4 + 4 * d));
            if (dimensions[d] < 0) throw new DatasetException($"{path}: IDX dimension {d} is negative ({dimensions[d]}); the file is corrupt.", path);
            expected *= dimensions[d];
        }
        long actual = content.Length - headerLength;
        if (actual < expected)
            throw new DatasetException($"{path}: truncated IDX file: the header promises {string.Join('x', dimensions)} = {expected} bytes of data, the file holds {actual}. Delete it and fetch or copy it again.", path);
        if (actual > expected)
            throw new DatasetException($"{path}: IDX file is {actual - expected} bytes longer than its header ({string.Join('x', dimensions)}) says; the file is corrupt or not IDX.", path);
        return (dimensions, content[headerLength..]);
    }

    /// <summary>Writes an uncompressed unsigned-byte IDX file.</summary>
    public static void Write(string path, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data)
    {
        using var stream = File.Create(path);
        Write(stream, dimensions, data);
    }

    /// <summary>Writes an uncompressed unsigned-byte IDX file to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        word[0] = 0; word[1] = 0; word[2] = UnsignedByteType; word[3] = (byte)dimensions.Length;
        stream.Write(word);
        foreach (int size in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, size);
            stream.Write(word);
        }
        stream.Write(data);
    }

    /// <summary>Reads a file whole, decompressing it when it starts with the gzip magic bytes 1F 8B.</summary>
    internal static byte[] ReadMaybeCompressed(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: file not found.", path);
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B) return raw;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new DatasetException($"{path}: gzip data is corrupt or truncated ({e.Message}). Delete it and copy it again.", path, e);
        }
    }
}
