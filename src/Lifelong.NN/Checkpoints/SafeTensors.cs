using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Lifelong.Tensors;

namespace Lifelong.NN;

/// <summary>Reads and writes the safetensors format of Hugging Face, the checkpoint format PyTorch users already have.</summary>
/// <remarks>
/// Layout: an 8-byte little-endian u64 N; N bytes of UTF-8 JSON, an object mapping each tensor's name to
/// <c>{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}</c> (offsets into the byte buffer that follows the
/// header) plus an optional <c>"__metadata__"</c> object of string → string; then the byte buffer, little-endian and
/// row-major, which the tensors cover exactly, without gaps or overlaps. Lifelong writes F32 and reads F32, F16, BF16 and
/// F64 (converted to float32); integer and boolean tensors are refused by name. Validation follows the reference
/// implementation (the <c>safetensors</c> crate): any truncated or malformed file raises a <see cref="SafeTensorsException"/>.
/// Every file Lifelong writes records a checksum of each tensor and of the metadata (the metadata entry
/// <c>lifelong.checksums</c>, see <see cref="SafeTensorsFile.Checksummed"/>), and every load verifies them when present,
/// so a flipped bit or an edit is refused by name instead of loading other numbers; files without checksums (PyTorch's,
/// timm's) load as before.
/// </remarks>
public static partial class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes <paramref name="tensors"/> (in their enumeration order) as F32 to <paramref name="path"/>, atomically.</summary>
    /// <remarks>
    /// The file is written under a temporary name in the same directory, flushed to disk, then renamed over
    /// <paramref name="path"/>, so an interrupted save leaves the previous checkpoint intact rather than a corrupt one.
    /// </remarks>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensors">Tensors by name; <c>__metadata__</c> is reserved.</param>
    /// <param name="metadata">Optional free-form string metadata (e.g. <c>format</c> = <c>pt</c>).</param>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Write(stream, tensors, metadata);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The safetensors encoding of <paramref name="tensors"/> (F32) and <paramref name="metadata"/>, as bytes.</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    /// <summary>Writes the safetensors encoding of <paramref name="tensors"/> (F32) and <paramref name="metadata"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = tensors.ToList();
        metadata = SafeTensorsChecksums.Stamp(entries, metadata);
        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            long offset = 0;
            foreach (var (name, tensor) in entries)
            {
                if (name == MetadataKey) throw new ArgumentException($"SafeTensors: '{MetadataKey}' is reserved and cannot name a tensor.", nameof(tensors));
                if (!names.Add(name)) throw new ArgumentException($"SafeTensors: the tensor name '{name}' appears twice.", nameof(tensors));
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape.Dims) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)tensor.Size * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        // Pad with spaces so the byte buffer starts 8-byte aligned, as the reference writer does.
        int padded = (header.WrittenCount + 7) / 8 * 8;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        stream.Write(prefix);
        stream.Write(header.WrittenSpan);
        for (int i = header.WrittenCount; i < padded; i++) stream.WriteByte((byte)' ');

        Span<byte> littleEndian = stackalloc byte[4];
        foreach (var (_, tensor) in entries)
        {
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(MemoryMarshal.AsBytes<float>(tensor.Span));
                continue;
            }
            foreach (float x in tensor.Span)
            {
                BinaryPrimitives.WriteSingleLittleEndian(littleEndian, x);
                stream.Write(littleEndian);
            }
        }
    }
}
