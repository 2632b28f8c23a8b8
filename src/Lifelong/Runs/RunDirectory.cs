using Lifelong.Results;

namespace Lifelong.Runs;

/// <summary>The files of one run: <c>config.json</c>, <c>metrics.jsonl</c>, <c>result.json</c>, CSV tables, the checkpoint.</summary>
public sealed class RunDirectory
{
    /// <summary>A run directory at <paramref name="path"/> (created if missing).</summary>
    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The fully resolved configuration.</summary>
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    /// <summary>The streamed metrics.</summary>
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>The final result.</summary>
    public string ResultFile => System.IO.Path.Combine(Path, "result.json");

    /// <summary>The latest checkpoint.</summary>
    public string CheckpointFile => System.IO.Path.Combine(Path, RunCheckpoint.FileName);

    /// <summary>Whether the directory already holds a run (a config, metrics, a checkpoint or a result).</summary>
    public bool HoldsRun => File.Exists(ConfigFile) || File.Exists(MetricsFile) || File.Exists(CheckpointFile) || File.Exists(ResultFile);

    /// <summary>Writes <c>result.json</c> (atomically) and the CSV tables.</summary>
    public void WriteResult(RunResult result)
    {
        WriteAtomically(ResultFile, result.ToJson() + "\n");
        CsvExport.WriteAll(result, Path);
    }

    /// <summary>Writes <paramref name="text"/> to a temporary file and renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomically(string path, string text)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
