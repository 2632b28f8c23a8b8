using System.Text;
using System.Text.Json;

namespace Lifelong.Results;

/// <summary><c>metrics.jsonl</c>: one JSON object per line, flushed to disk as it is written, so a crash loses nothing written.</summary>
/// <remarks>A resumed run first cuts the file back to its length at the checkpoint, so lines are never duplicated.</remarks>
public sealed class MetricsLog : IDisposable
{
    private readonly FileStream _stream;

    /// <summary>Opens <paramref name="path"/> for appending, cut back to <paramref name="truncateTo"/> bytes when given.</summary>
    public MetricsLog(string path, long? truncateTo = null)
    {
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (truncateTo is { } length)
        {
            if (length > _stream.Length) throw new InvalidDataException($"{path}: the checkpoint expects at least {length} bytes, the file has {_stream.Length}; it was cut or replaced.");
            _stream.SetLength(length);
        }
        _stream.Seek(0, SeekOrigin.End);
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Bytes written so far (what a checkpoint records).</summary>
    public long Length => _stream.Length;

    /// <summary>Called with each line's JSON text (no newline) after it is written: how the TensorBoard event file follows.</summary>
    public Action<string>? LineWritten { get; set; }

    /// <summary>Appends <paramref name="record"/> (an anonymous object or dictionary) as one snake_case JSON line and flushes it.</summary>
    public void Write(object record)
    {
        var options = new JsonSerializerOptions(RunResult.JsonOptions) { WriteIndented = false };
        string line = JsonSerializer.Serialize(record, options);
        _stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        _stream.Flush(flushToDisk: true);
        LineWritten?.Invoke(line);
    }

    /// <summary>The lines of the file as it is on disk now (read while this log may hold it open).</summary>
    public IReadOnlyList<string> ReadLines()
    {
        using var reader = new StreamReader(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
