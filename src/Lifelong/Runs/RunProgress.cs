using Lifelong.Results;

namespace Lifelong.Runs;

/// <summary>Where a run stands: position in the stream and every result so far. Saved in each checkpoint as JSON.</summary>
/// <remarks>All numbers are doubles written in round-trip form, so a resumed run continues from exactly these values.</remarks>
public sealed class RunProgress
{
    /// <summary>The task being trained, or the next one to train at a task boundary.</summary>
    public int Task { get; set; }

    /// <summary>Whether <see cref="Task"/> has begun (a mid-task checkpoint); false at a task boundary.</summary>
    public bool TaskStarted { get; set; }

    /// <summary>Steps done in <see cref="Task"/>.</summary>
    public int TaskStep { get; set; }

    /// <summary>Steps done over the run.</summary>
    public long TotalSteps { get; set; }

    /// <summary>Rows of the accuracy matrix so far.</summary>
    public List<double?[]> Rows { get; set; } = [];

    /// <summary>Rows of the AUROC matrix so far (empty unless the evaluation measures AUROC).</summary>
    public List<double?[]> AurocRows { get; set; } = [];

    /// <summary>Accuracy of the freshly initialised model per task; empty until measured.</summary>
    public double[] RandomInitAccuracy { get; set; } = [];

    /// <summary>Mean online accuracy of each finished task.</summary>
    public List<double> OnlineAccuracy { get; set; } = [];

    /// <summary>Sum of per-step online accuracies in the current task.</summary>
    public double TaskOnlineSum { get; set; }

    /// <summary>Sum of per-step online accuracies over the run.</summary>
    public double TotalOnlineSum { get; set; }

    /// <summary>Probes of each finished task.</summary>
    public List<TaskProbe> Probes { get; set; } = [];

    /// <summary>Wall-clock seconds spent by the earlier pieces of the run.</summary>
    public double WallSeconds { get; set; }

    /// <summary>Length of <c>metrics.jsonl</c> when the checkpoint was taken.</summary>
    public long MetricsBytes { get; set; }

    /// <summary>The loader's position in a mid-task checkpoint.</summary>
    public DataLoaderState? Loader { get; set; }

    /// <summary>Step counters of the loss and online accuracy being averaged for the next metrics line.</summary>
    public LogWindow Window { get; set; } = new();
}

/// <summary>Running sums for one metrics line (the steps since the last line).</summary>
public sealed class LogWindow
{
    /// <summary>Steps in the window.</summary>
    public int Steps { get; set; }

    /// <summary>Sum of total losses.</summary>
    public double Loss { get; set; }

    /// <summary>Sum of online accuracies.</summary>
    public double OnlineAccuracy { get; set; }
}
