using Google.Protobuf;
using Lifelong.Results;
using Lifelong.TensorBoard.Protos;

namespace Lifelong.TensorBoard;

/// <summary>The TensorBoard event file of one run, written in the run directory itself, so that
/// <c>tensorboard --logdir runs/</c> shows every run (each comparison variant, each sweep point) as its own, side by side.</summary>
/// <remarks>
/// The file holds exactly what <c>metrics.jsonl</c> holds, converted by <see cref="TensorBoardScalars"/> (one event per
/// line), then the summary when the run ends. A resumed run cuts <c>metrics.jsonl</c> back to its checkpoint; this file is
/// cut back the same way, to the records those kept lines produced, so no point is lost or written twice, and the kept
/// points keep their original wall times. When the file is missing or shorter than the kept lines need (a run from before
/// event files, or a damaged file), it is rebuilt from the lines.
/// </remarks>
public sealed class TensorBoardLog : IDisposable
{
    /// <summary>The version string of the header record that every event file starts with.</summary>
    public const string FileVersion = "brain.Event:2";

    /// <summary>The name suffix that marks the event files Lifelong writes (TensorBoard reads any name containing "tfevents").</summary>
    public const string Suffix = ".lifelong";

    private readonly FileStream _stream;

    private TensorBoardLog(string path, FileMode mode)
    {
        _stream = new FileStream(path, mode, FileAccess.ReadWrite, FileShare.Read);
        Path = path;
    }

    /// <summary>The event file.</summary>
    public string Path { get; }

    /// <summary>The event file Lifelong wrote in <paramref name="directory"/>, or null.</summary>
    public static string? Find(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "events.out.tfevents.*" + Suffix).Order(StringComparer.Ordinal).LastOrDefault()
            : null;

    /// <summary>Starts a new event file in <paramref name="directory"/>, replacing one a previous run left there.</summary>
    public static TensorBoardLog Create(string directory)
    {
        if (Find(directory) is { } old) File.Delete(old);
        var log = new TensorBoardLog(NewPath(directory), FileMode.CreateNew);
        log.WriteHeader();
        return log;
    }

    /// <summary>Reopens the event file of <paramref name="directory"/> cut back to what <paramref name="keptLines"/> (the
    /// <c>metrics.jsonl</c> lines kept by a resume) produced, or rebuilds it from them.</summary>
    public static TensorBoardLog Resume(string directory, IReadOnlyList<string> keptLines)
    {
        int expected = 1 + keptLines.Count;   // the header, then one event per metrics line
        if (Find(directory) is { } path)
        {
            var records = TfRecord.Read(File.ReadAllBytes(path));
            if (records.Count >= expected)
            {
                var log = new TensorBoardLog(path, FileMode.Open);
                log._stream.SetLength(records[expected - 1].End);
                log._stream.Seek(0, SeekOrigin.End);
                return log;
            }
        }
        var rebuilt = Create(directory);
        foreach (string line in keptLines) rebuilt.Add(line);
        return rebuilt;
    }

    /// <summary>Appends the event of one <c>metrics.jsonl</c> line (an event with no values for a line with no scalars,
    /// so the file keeps one event per line).</summary>
    public void Add(string metricsLine)
    {
        var (step, scalars) = TensorBoardScalars.FromMetricsLine(metricsLine);
        Write(step, scalars);
    }

    /// <summary>Appends the run's summary metrics at <paramref name="step"/> (the run's last step).</summary>
    public void AddSummary(RunSummary summary, long step) => Write(step, TensorBoardScalars.FromSummary(summary));

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private void WriteHeader() => WriteEvent(new Event
    {
        WallTime = Now(),
        FileVersion = FileVersion,
        SourceMetadata = new SourceMetadata { Writer = "lifelong" },
    });

    private void Write(long step, IReadOnlyList<TensorBoardScalar> scalars)
    {
        var summary = new Summary();
        foreach (var scalar in scalars) summary.Value.Add(new Summary.Types.Value { Tag = scalar.Tag, SimpleValue = (float)scalar.Value });
        WriteEvent(new Event { WallTime = Now(), Step = step, Summary = summary });
    }

    private void WriteEvent(Event e)
    {
        TfRecord.Write(_stream, e.ToByteArray());
        _stream.Flush();
    }

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary><c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;.lifelong</c>, TensorBoard's conventional name.</summary>
    private static string NewPath(string directory)
    {
        string host = new([.. Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return System.IO.Path.Combine(directory, $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{host}{Suffix}");
    }
}
