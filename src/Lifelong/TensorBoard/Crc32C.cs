namespace Lifelong.TensorBoard;

/// <summary>CRC-32C (Castagnoli): the checksum of TFRecord framing, and its "masked" form.</summary>
/// <remarks>Reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF (RFC 3720, appendix B.4), computed a
/// byte at a time from a 256-entry table: event files are small, so the simple loop is fast enough.</remarks>
public static class Crc32C
{
    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>((crc ≫ 15) | (crc ≪ 17)) + 0xA282EAD8: TFRecord stores checksums masked, because a CRC of data that itself
    /// holds CRCs is weak (TensorFlow's <c>crc32c::Mask</c>).</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;

    /// <summary>The masked CRC-32C of <paramref name="data"/>.</summary>
    public static uint Masked(ReadOnlySpan<byte> data) => Mask(Compute(data));

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint crc = i;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            table[i] = crc;
        }
        return table;
    }
}
