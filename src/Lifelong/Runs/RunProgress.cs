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

    /// <summary>What makes this progress impossible for a run on <paramref name="scenario"/> (a task or step out of range,
    /// result lists of the wrong length), in words that name the checkpoint's keys; null when it is consistent.</summary>
    /// <remarks>The checksums already refuse an edited checkpoint; this names the problem when the checksums were forged
    /// too, or when the progress comes from somewhere else.</remarks>
    public string? Problem(Scenarios.Scenario scenario)
    {
        int tasks = scenario.TaskCount;
        if (Task < 0 || Task > tasks) return $"task {Task} is outside 0..{tasks} (the run has {tasks} tasks)";
        if (TaskStep < 0) return $"task_step {TaskStep} is negative";
        if (!TaskStarted && TaskStep != 0) return $"task_step is {TaskStep} at a task boundary (task_started false), where it is 0";
        if (TaskStarted)
        {
            if (Task == tasks) return $"task {Task} is marked started, but the run has tasks 0..{tasks - 1}";
            int steps = scenario.GetTask(Task).Steps;
            if (TaskStep >= steps) return $"task_step {TaskStep} is not inside task {Task}, which has {steps} steps";
        }
        if (TotalSteps < TaskStep) return $"total_steps {TotalSteps} is less than task_step {TaskStep}";
        if (RandomInitAccuracy.Length != tasks) return $"random_init_accuracy has {RandomInitAccuracy.Length} entries for {tasks} tasks";
        if (Rows.Count != Task || OnlineAccuracy.Count != Task || Probes.Count != Task)
            return $"{Task} tasks are done, but rows, online_accuracy and probes hold {Rows.Count}, {OnlineAccuracy.Count} and {Probes.Count} entries";
        if (AurocRows.Count != 0 && AurocRows.Count != Task) return $"{Task} tasks are done, but auroc_rows holds {AurocRows.Count} rows";
        if (Rows.Concat(AurocRows).FirstOrDefault(r => r is null || r.Length != tasks) is { } row) return $"a row of the accuracy matrix has {row?.Length ?? 0} entries for {tasks} tasks";
        if (Loader is not null && !TaskStarted) return "a data loader position is recorded at a task boundary (task_started false)";
        if (MetricsBytes < 0 || Window.Steps < 0 || !double.IsFinite(WallSeconds) || WallSeconds < 0)
            return $"metrics_bytes {MetricsBytes}, window.steps {Window.Steps} and wall_seconds {WallSeconds} must be ≥ 0";
        return null;
    }
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
