using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lifelong.NN;

/// <summary>The checksums Lifelong writes into the metadata of every safetensors file and verifies on every load.</summary>
/// <remarks>
/// One metadata entry, <c>lifelong.checksums</c>, holds a JSON object:
/// <c>{"algorithm": "xxh3-64", "metadata": "…", "tensors": {"name": "…", …}}</c>, each value 16 lower-case hex digits of
/// XXH3-64 (seed 0). A tensor's checksum covers the UTF-8 text <c>F32[d0,d1,…]</c> (its dtype and shape, no spaces)
/// followed by its data bytes as stored; the metadata's covers every other metadata entry, sorted by key, as
/// <c>key \0 value \0</c> in UTF-8. In Python: <c>xxhash.xxh3_64(b"F32[32,784]" + data).hexdigest()</c>.
/// XXH3 runs at memory speed (tens of GB/s), so the checksums cost a small part of writing the bytes to disk.
/// </remarks>
internal static class SafeTensorsChecksums
{
    /// <summary>The metadata key of the checksums.</summary>
    public const string Key = "lifelong.checksums";

    private const string Algorithm = "xxh3-64";

    /// <summary>The checksum of one tensor: its dtype and shape, then its stored (little-endian) bytes.</summary>
    public static string Tensor(string dtype, IReadOnlyList<int> shape, ReadOnlySpan<byte> data)
    {
        var hash = new XxHash3();
        hash.Append(Encoding.UTF8.GetBytes($"{dtype}[{string.Join(',', shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]"));
        hash.Append(data);
        return Hex(hash.GetCurrentHashAsUInt64());
    }

    /// <summary>The checksum of an F32 tensor as <see cref="SafeTensors.Write"/> stores it.</summary>
    public static string Tensor(Tensors.Tensor tensor)
    {
        if (BitConverter.IsLittleEndian) return Tensor("F32", tensor.Shape.Dims.ToArray(), MemoryMarshal.AsBytes(tensor.Span));
        var bytes = new byte[tensor.Size * sizeof(float)];
        for (int i = 0; i < tensor.Size; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), tensor.Span[i]);
        return Tensor("F32", tensor.Shape.Dims.ToArray(), bytes);
    }

    /// <summary>The checksum of every metadata entry except the checksums themselves.</summary>
    public static string Metadata(IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var hash = new XxHash3();
        byte[] separator = [0];
        foreach (var (key, value) in metadata.Where(m => m.Key != Key).OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            hash.Append(Encoding.UTF8.GetBytes(key));
            hash.Append(separator);
            hash.Append(Encoding.UTF8.GetBytes(value));
            hash.Append(separator);
        }
        return Hex(hash.GetCurrentHashAsUInt64());
    }

    /// <summary><paramref name="metadata"/> with the checksums entry of <paramref name="tensors"/> and of itself added.</summary>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> already holds <see cref="Key"/>.</exception>
    public static Dictionary<string, string> Stamp(IEnumerable<KeyValuePair<string, Tensors.Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var stamped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            if (key == Key) throw new ArgumentException($"SafeTensors: the metadata key '{Key}' is reserved for the checksums Lifelong writes.", nameof(metadata));
            stamped[key] = value;
        }
        var sums = new JsonObject();
        foreach (var (name, tensor) in tensors) sums[name] = Tensor(tensor);
        var entry = new JsonObject { ["algorithm"] = Algorithm, ["metadata"] = Metadata(stamped), ["tensors"] = sums };
        stamped[Key] = entry.ToJsonString();
        return stamped;
    }

    /// <summary>The recorded checksums of a file's metadata: the metadata's and each tensor's, or null when the file has none.</summary>
    /// <exception cref="SafeTensorsException">The entry is malformed or names an unknown algorithm.</exception>
    public static (string Metadata, Dictionary<string, string> Tensors)? Read(IReadOnlyDictionary<string, string> metadata, string source)
    {
        if (!metadata.TryGetValue(Key, out string? text)) return null;
        JsonObject entry;
        try
        {
            entry = JsonNode.Parse(text) as JsonObject ?? throw new SafeTensorsException(source, $"metadata '{Key}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException(source, $"metadata '{Key}' is not valid JSON ({e.Message}): the file was damaged or edited.", e);
        }
        string? algorithm = (entry["algorithm"] as JsonValue)?.TryGetValue(out string? a) == true ? a : null;
        if (algorithm != Algorithm)
            throw new SafeTensorsException(source, $"metadata '{Key}' uses checksum algorithm '{algorithm}', which this Lifelong does not know (it writes and checks '{Algorithm}').");
        string? metadataSum = (entry["metadata"] as JsonValue)?.TryGetValue(out string? m) == true ? m : null;
        if (metadataSum is null || entry["tensors"] is not JsonObject tensorSums)
            throw new SafeTensorsException(source, $"metadata '{Key}' lacks its 'metadata' checksum or its 'tensors' object: the file was damaged or edited.");
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tensorSums)
            sums[name] = (value as JsonValue)?.TryGetValue(out string? s) == true ? s! : throw new SafeTensorsException(source, $"metadata '{Key}': the checksum of '{name}' is not a string.");
        return (metadataSum, sums);
    }

    private static string Hex(ulong value) => value.ToString("x16", CultureInfo.InvariantCulture);
}
