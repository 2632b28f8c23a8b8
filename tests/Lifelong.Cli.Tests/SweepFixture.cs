namespace Lifelong.Cli.Tests;

/// <summary>A tiny sweep (2 methods × 2 seeds of a 2-task permuted-MNIST stream, a few seconds a run) and its results
/// through the local executor, uninterrupted: the reference the other executors and interruptions must reproduce.</summary>
public sealed class SweepFixture : IDisposable
{
    public const string Yaml = """
        scenario: permuted-mnist:train-per-task=500,test-size=200,batch-size=16
        tasks: 2
        steps: 30
        model: mlp:16
        probe-size: 50
        log-every: 10
        checkpoint-every: 5
        grid:
          method: [finetune, l2init:lambda=0.01]
        seeds: [0, 1]
        """;

    private readonly Cli.TempFolder _folder = new();

    public SweepFixture()
    {
        Directory.CreateDirectory(_folder.Path);
        File = _folder.Sub("tiny.yaml");
        System.IO.File.WriteAllText(File, Yaml);
        Reference = _folder.Sub("reference");
        Result = Cli.Run("sweep", File, "--out", Reference, "--parallel", "2");
    }

    /// <summary>The sweep file.</summary>
    public string File { get; }

    /// <summary>The uninterrupted local sweep's directory.</summary>
    public string Reference { get; }

    /// <summary>What the reference sweep printed.</summary>
    public (int Code, string Output, string Error) Result { get; }

    /// <summary>A fresh directory beside the reference.</summary>
    public string Sub(string name) => _folder.Sub(name);

    /// <summary>run hash → result.json without its wall time, for every run of the sweep in <paramref name="directory"/>.</summary>
    public static Dictionary<string, string> Results(string directory) =>
        Directory.GetDirectories(Path.Combine(directory, "runs")).ToDictionary(d => Path.GetFileName(d)!, d => Cli.ResultNumbers(Path.Combine(d, "result.json")));

    public void Dispose() => _folder.Dispose();
}

/// <summary>The sweep tests share one reference sweep and run one after another (each starts child processes).</summary>
[CollectionDefinition("sweep")]
public sealed class SweepCollection : ICollectionFixture<SweepFixture>;
