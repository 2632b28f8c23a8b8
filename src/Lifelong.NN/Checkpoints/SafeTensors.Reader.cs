using System.Buffers.Binary;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using System.Text.Json;
using Lifelong.Tensors;

namespace Lifelong.NN;

public static partial class SafeTensors
{
    /// <summary>Reads the safetensors file at <paramref name="path"/>, converting F16, BF16 and F64 tensors to float32.</summary>
    /// <exception cref="SafeTensorsException">The file is truncated or malformed, or holds a dtype Lifelong cannot load; the message names the file, the tensor and the problem.</exception>
    public static SafeTensorsFile Load(string path) => Deserialize(File.ReadAllBytes(path), path);

    /// <summary>The <c>__metadata__</c> of the safetensors file at <paramref name="path"/>, as written (the checksums entry
    /// included), read from its header alone and not verified.</summary>
    /// <exception cref="SafeTensorsException">The header is truncated or malformed.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw new SafeTensorsException(path, $"the file is {stream.Length} bytes long, too short to hold the 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(stream.Length - 8))
            throw new SafeTensorsException(path, $"the header length {headerLength} exceeds the {stream.Length - 8} bytes that follow it: the file is truncated or not safetensors.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        return ParseHeader(header, path).Metadata;
    }

    /// <summary>Throws unless every value of every tensor is finite (no NaN, no ±∞); the message names <paramref name="source"/>,
    /// the tensor and how many of its values are broken.</summary>
    /// <exception cref="SafeTensorsException">A tensor holds NaN or an infinity.</exception>
    public static void RequireFinite(IEnumerable<KeyValuePair<string, Tensor>> tensors, string source)
    {
        foreach (var (name, tensor) in tensors)
        {
            var values = tensor.Span;
            if (TensorPrimitives.IsFiniteAll<float>(values)) continue;
            int first = FirstNonFinite(values);
            int count = 0;
            foreach (float x in values) if (!float.IsFinite(x)) count++;
            throw new SafeTensorsException(source, $"tensor '{name}' holds {count:N0} non-finite value{(count == 1 ? "" : "s")} of {values.Length:N0} (the first, at index {first:N0}, is {values[first]}): these weights are broken, most likely saved after training diverged, and cannot be used.");
        }
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        while (float.IsFinite(values[i])) i++;
        return i;
    }

    /// <summary>Decodes safetensors <paramref name="bytes"/>; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="SafeTensorsException">The bytes are truncated or malformed, or hold a dtype Lifelong cannot load.</exception>
    public static SafeTensorsFile Deserialize(ReadOnlySpan<byte> bytes, string source = "<memory>")
    {
        if (bytes.Length < 8)
            throw new SafeTensorsException(source, $"the file is {bytes.Length} bytes long, too short to hold the 8-byte header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new SafeTensorsException(source, $"the header length {headerLength} exceeds the {bytes.Length - 8} bytes that follow it (file of {bytes.Length} bytes): the file is truncated or not safetensors.");
        var headerBytes = bytes.Slice(8, (int)headerLength);
        var buffer = bytes[(8 + (int)headerLength)..];

        var (entries, metadata) = ParseHeader(headerBytes, source);
        CheckLayout(entries, buffer.Length, source);
        bool checksummed = VerifyChecksums(entries, metadata, buffer, source);
        metadata.Remove(SafeTensorsChecksums.Key);

        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in entries)
            tensors.Add(entry.Name, Decode(entry, buffer.Slice((int)entry.Begin, (int)(entry.End - entry.Begin)), source));
        return new SafeTensorsFile(tensors, metadata) { Checksummed = checksummed };
    }

    /// <summary>Checks the file's recorded checksums (<see cref="SafeTensorsChecksums"/>), if it has any, before anything is decoded.</summary>
    /// <returns>Whether the file had checksums (all of which matched).</returns>
    private static bool VerifyChecksums(List<Entry> entries, Dictionary<string, string> metadata, ReadOnlySpan<byte> buffer, string source)
    {
        if (SafeTensorsChecksums.Read(metadata, source) is not var (metadataSum, tensorSums)) return false;
        const string Cause = "by damage on disk or in a copy, or by an edit";
        foreach (var e in entries)
        {
            if (!tensorSums.Remove(e.Name, out string? expected))
                throw new SafeTensorsException(source, $"tensor '{e.Name}' has no checksum although the file records checksums: it was added or renamed after the file was written ({Cause}).");
            string actual = SafeTensorsChecksums.Tensor(e.DType, e.Shape, buffer.Slice((int)e.Begin, (int)(e.End - e.Begin)));
            if (actual != expected)
                throw new SafeTensorsException(source, $"tensor '{e.Name}' ({e.DType} [{string.Join(", ", e.Shape)}]) does not match its checksum (xxh3-64 {expected} recorded, {actual} now): its values changed after the file was written ({Cause}).");
        }
        if (tensorSums.Count > 0)
            throw new SafeTensorsException(source, $"the checksums list tensor '{tensorSums.Keys.First()}', which the file does not hold: it was removed or renamed after the file was written ({Cause}).");
        string metadataActual = SafeTensorsChecksums.Metadata(metadata);
        if (metadataActual != metadataSum)
            throw new SafeTensorsException(source, $"the metadata ({string.Join(", ", metadata.Keys.Where(k => k != SafeTensorsChecksums.Key).Order(StringComparer.Ordinal))}) does not match its checksum (xxh3-64 {metadataSum} recorded, {metadataActual} now): it changed after the file was written ({Cause}).");
        return true;
    }

    private sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(ReadOnlySpan<byte> header, string source)
    {
        // The JSON reader accepts invalid UTF-8 inside strings and only fails when one is read, with an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new SafeTensorsException(source, "the header is not valid UTF-8 text: the file is damaged or not safetensors.");
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(header);
            document = JsonDocument.ParseValue(ref reader);
            // Only padding spaces may follow the object: anything else makes Read throw a JsonException.
            if (reader.Read())
                throw new SafeTensorsException(source, "the header has data after its JSON object.");
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException(source, $"the header is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafeTensorsException(source, $"the header is a JSON {root.ValueKind}, not an object of tensors.");
            var entries = new List<Entry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw new SafeTensorsException(source, $"the header names '{property.Name}' twice.");
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new SafeTensorsException(source, $"'{MetadataKey}' is a JSON {property.Value.ValueKind}, not an object of strings.");
                    foreach (var item in property.Value.EnumerateObject())
                    {
                        if (item.Value.ValueKind != JsonValueKind.String)
                            throw new SafeTensorsException(source, $"'{MetadataKey}' entry '{item.Name}' is a JSON {item.Value.ValueKind}, not a string.");
                        metadata[item.Name] = item.Value.GetString()!;
                    }
                    continue;
                }
                entries.Add(ParseEntry(property, source));
            }
            return (entries, metadata);
        }
    }

    private static Entry ParseEntry(JsonProperty property, string source)
    {
        string name = property.Name;
        var info = property.Value;
        if (info.ValueKind != JsonValueKind.Object)
            throw new SafeTensorsException(source, $"tensor '{name}': its entry is a JSON {info.ValueKind}, not an object.");
        if (!info.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String)
            throw new SafeTensorsException(source, $"tensor '{name}': missing 'dtype' string.");
        if (!info.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsException(source, $"tensor '{name}': missing 'shape' array.");
        if (!info.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsException(source, $"tensor '{name}': missing 'data_offsets' array.");

        var dims = new int[shape.GetArrayLength()];
        int i = 0;
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long value))
                throw new SafeTensorsException(source, $"tensor '{name}': shape entry {d} is not an integer.");
            if (value < 0) throw new SafeTensorsException(source, $"tensor '{name}': shape has a negative dimension {value}.");
            if (value > int.MaxValue) throw new SafeTensorsException(source, $"tensor '{name}': dimension {value} is too large for Lifelong's tensors.");
            dims[i++] = (int)value;
        }

        var bounds = new long[2];
        if (offsets.GetArrayLength() != 2)
            throw new SafeTensorsException(source, $"tensor '{name}': 'data_offsets' has {offsets.GetArrayLength()} entries, not [begin, end].");
        i = 0;
        foreach (var o in offsets.EnumerateArray())
        {
            if (o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long value) || value < 0)
                throw new SafeTensorsException(source, $"tensor '{name}': data offset {o} is not a non-negative integer.");
            bounds[i++] = value;
        }
        if (bounds[1] < bounds[0])
            throw new SafeTensorsException(source, $"tensor '{name}': data_offsets [{bounds[0]}, {bounds[1]}] end before they begin.");
        return new Entry(name, dtype.GetString()!, dims, bounds[0], bounds[1]);
    }

    private static int DTypeSize(string dtype) => dtype switch
    {
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 1,
        "I16" or "U16" or "F16" or "BF16" => 2,
        "I32" or "U32" or "F32" => 4,
        "I64" or "U64" or "F64" => 8,
        _ => 0,
    };

    /// <summary>Checks each tensor's byte range against its shape and dtype and the buffer, and that the ranges tile the buffer exactly.</summary>
    private static void CheckLayout(List<Entry> entries, int bufferLength, string source)
    {
        foreach (var e in entries)
        {
            int size = DTypeSize(e.DType);
            if (size == 0) throw new SafeTensorsException(source, $"tensor '{e.Name}' has unknown dtype '{e.DType}'.");
            if (e.End > bufferLength)
                throw new SafeTensorsException(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] lie beyond the {bufferLength}-byte data buffer: the file is truncated or the offsets are wrong.");
            long count = 1;
            foreach (int d in e.Shape) count = d == 0 || count == 0 ? 0 : checked(count * d);
            if (count * size != e.End - e.Begin)
                throw new SafeTensorsException(source, $"tensor '{e.Name}': shape [{string.Join(", ", e.Shape)}] of {e.DType} needs {count * size} bytes, but data_offsets [{e.Begin}, {e.End}] hold {e.End - e.Begin}.");
            if (count > Array.MaxLength)
                throw new SafeTensorsException(source, $"tensor '{e.Name}' has {count} elements, more than a Lifelong tensor can hold.");
        }

        // The reference implementation requires the ranges, sorted, to cover the buffer without gap or overlap.
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        long expected = 0;
        string previous = "the start of the buffer";
        foreach (var e in sorted)
        {
            if (e.Begin < expected)
                throw new SafeTensorsException(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap {previous}, which ends at {expected}.");
            if (e.Begin > expected)
                throw new SafeTensorsException(source, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] leave a gap after {previous}, which ends at {expected}.");
            expected = e.End;
            previous = $"tensor '{e.Name}'";
        }
        if (expected != bufferLength)
            throw new SafeTensorsException(source, $"the data buffer has {bufferLength} bytes but the tensors cover {expected}: {bufferLength - expected} bytes after the last tensor.");
        entries.Clear();
        entries.AddRange(sorted);
    }

    private static Tensor Decode(Entry e, ReadOnlySpan<byte> bytes, string source)
    {
        int count = bytes.Length / DTypeSize(e.DType);
        var data = new float[count];
        switch (e.DType)
        {
            case "F32":
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(bytes).CopyTo(data);
                else for (int i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * i)..]);
                break;
            case "F16":
                if (BitConverter.IsLittleEndian) TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), data);
                else for (int i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * i)..]);
                break;
            case "BF16":
                // bfloat16 is the top half of a float32's bits.
                for (int i = 0; i < count; i++) data[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) << 16);
                break;
            case "F64":
                for (int i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
                break;
            default:
                throw new SafeTensorsException(source, $"tensor '{e.Name}' has dtype {e.DType}, which Lifelong cannot load (it reads F32, F16, BF16 and F64).");
        }
        return e.Shape.Length == 0 ? Tensor.Scalar(data[0]) : Tensor.FromArray(data, e.Shape);
    }
}
