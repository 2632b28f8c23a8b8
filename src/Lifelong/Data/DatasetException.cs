namespace Lifelong.Data;

/// <summary>Data is missing, corrupt or malformed. The message names the file, says what is wrong and how to fix it.</summary>
/// <remarks>
/// Every reader and the <see cref="DatasetStore"/> validate what they read (magic numbers, sizes, label ranges,
/// checksums) and throw this exception instead of failing deep inside a loop or returning wrong data.
/// </remarks>
public sealed class DatasetException : Exception
{
    /// <summary>Creates an exception about <paramref name="path"/> (may be null when no single file is at fault).</summary>
    public DatasetException(string message, string? path = null, Exception? inner = null)
        : base(message, inner) => Path = path;

    /// <summary>Creates an exception with a message only.</summary>
    public DatasetException() : base("Dataset error.") { }

    /// <summary>Creates an exception with a message only.</summary>
    public DatasetException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public DatasetException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The file (or directory) at fault, when there is one.</summary>
    public string? Path { get; }
}
