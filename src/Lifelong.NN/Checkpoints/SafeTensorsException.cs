namespace Lifelong.NN;

/// <summary>A safetensors file is truncated, malformed, or holds something Lifelong cannot load; the message names the file and the problem.</summary>
public sealed class SafeTensorsException : IOException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public SafeTensorsException() : base("Invalid safetensors data.") { }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public SafeTensorsException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public SafeTensorsException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for <paramref name="file"/> with <paramref name="problem"/>, read as "<c>file: problem</c>".</summary>
    /// <param name="file">The file (or in-memory source) being read.</param>
    /// <param name="problem">What is wrong, in a sentence.</param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public SafeTensorsException(string file, string problem, Exception? innerException = null)
        : base($"{file}: {problem}", innerException)
    {
        File = file;
    }

    /// <summary>The file (or in-memory source) that was being read, when known.</summary>
    public string? File { get; }
}
