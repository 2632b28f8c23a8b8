using System.Security.Cryptography;

namespace Lifelong.Data;

/// <summary>SHA-256 checksums of data files, as lower-case hex.</summary>
public static class FileChecksum
{
    /// <summary>The SHA-256 of a file's bytes as stored (no decompression).</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Throws a <see cref="DatasetException"/> unless the file's SHA-256 is <paramref name="expected"/>.</summary>
    /// <param name="path">The file to check.</param>
    /// <param name="expected">Lower-case hex SHA-256.</param>
    /// <param name="remedy">What the user should do about a mismatch.</param>
    public static void Verify(string path, string expected, string remedy)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: file not found. {remedy}", path);
        string actual = Sha256(path);
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new DatasetException($"{path}: checksum mismatch: SHA-256 is {actual}, expected {expected}; the file is corrupt or was replaced. {remedy}", path);
    }
}
