namespace Lifelong.Data;

/// <summary>The files a loaded dataset was read from, by SHA-256: what a run's provenance records of its data.</summary>
/// <param name="Name">The dataset's name (<c>mnist</c>).</param>
/// <param name="Sha256">File name → lower-case hex SHA-256, in file-name order.</param>
/// <param name="Verified">True when the files were checked against the checksums Lifelong ships (a fetched dataset);
/// false for files the user put in place, whose checksums were computed at load.</param>
public sealed record DatasetChecksums(string Name, IReadOnlyDictionary<string, string> Sha256, bool Verified);
