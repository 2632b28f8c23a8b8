using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Lifelong.Reports.Figures;

/// <summary>Writes 8-bit RGB PNG files (ISO/IEC 15948): signature, IHDR, pHYs (the resolution), one zlib IDAT, IEND.</summary>
internal static class PngEncoder
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>The PNG bytes of a <paramref name="width"/> × <paramref name="height"/> image, <paramref name="rgb"/> row-major,
    /// three bytes a pixel, at <paramref name="dpi"/> dots per inch.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgb, double dpi)
    {
        if (rgb.Length != width * height * 3) throw new ArgumentException($"{rgb.Length} bytes for {width} × {height} RGB pixels.", nameof(rgb));
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        (header[8], header[9], header[10], header[11], header[12]) = (8, 2, 0, 0, 0);   // 8 bits, truecolour, deflate, filter 0, no interlace
        Chunk(png, "IHDR", header);

        var physical = new byte[9];
        uint perMetre = (uint)Math.Round(dpi / 0.0254);
        BinaryPrimitives.WriteUInt32BigEndian(physical, perMetre);
        BinaryPrimitives.WriteUInt32BigEndian(physical.AsSpan(4), perMetre);
        physical[8] = 1;   // unit: metre
        Chunk(png, "pHYs", physical);

        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                // Filter "Up" (2) on every row: figures are mostly flat colour, which it turns into runs of zeros.
                var row = new byte[1 + width * 3];
                for (int y = 0; y < height; y++)
                {
                    row[0] = 2;
                    var current = rgb.Slice(y * width * 3, width * 3);
                    for (int i = 0; i < current.Length; i++) row[1 + i] = (byte)(current[i] - (y == 0 ? 0 : rgb[(y - 1) * width * 3 + i]));
                    zlib.Write(row);
                }
            }
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed.AsSpan(4));
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
