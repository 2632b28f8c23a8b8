using System.Diagnostics;
using Lifelong.Evaluation;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.TensorBoard;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>Runs a <see cref="Learner"/> over its whole stream: train each task, evaluate, probe, log, checkpoint; returns the <see cref="RunResult"/>.</summary>
/// <remarks>
/// The loop, in full:
/// <code>
/// random-init accuracy on every task; methods' OnRunStart
/// for each task t:   BeginTask(t); Steps × Step(NextBatch()); EndTask()
///                    row t of the accuracy matrix; probes; a metrics line; a checkpoint
/// result.json, CSV tables
/// </code>
/// Every metrics line also goes to the run's TensorBoard event file (<see cref="TensorBoardLog"/>), unless
/// <see cref="TrainerOptions.TensorBoard"/> is off.
/// With a <see cref="RunDirectory"/>, <see cref="Resume"/> continues from the last checkpoint and yields the same numbers as
/// an uninterrupted run: the checkpoint holds every tensor and RNG state and every partial sum the rest depends on.
/// </remarks>
public sealed class Trainer
{
    private readonly Learner _learner;
    private readonly Evaluator _evaluator;
    private readonly TrainerOptions _options;
    private readonly RunDirectory? _directory;
    private readonly ITrainingObserver? _observer;
    private readonly string _scenarioName;
    private RunProgress _progress = new();
    private Dictionary<Parameter, Tensor> _initial = [];
    private MetricsLog? _log;
    private TensorBoardLog? _events;
    private Stopwatch _clock = new();

    /// <summary>A trainer for <paramref name="learner"/>; results go to <paramref name="directory"/> when given.</summary>
    public Trainer(Learner learner, Evaluator evaluator, TrainerOptions? options = null, RunDirectory? directory = null, ITrainingObserver? observer = null)
    {
        (_learner, _evaluator, _directory, _observer) = (learner, evaluator, directory, observer);
        _options = options ?? new TrainerOptions();
        _options.Validate();
        evaluator.Options.Validate();
        _scenarioName = learner.Scenario.Name;
    }

    /// <summary>The provenance written into <c>result.json</c>; when not given, this process's, without datasets.</summary>
    public RunProvenance? Provenance { get; init; }

    /// <summary>Trains the whole stream from the start.</summary>
    public RunResult Run()
    {
        _clock = Stopwatch.StartNew();
        _progress = new RunProgress();
        _initial = _learner.Network.Snapshot();
        _progress.RandomInitAccuracy = _evaluator.AllTasks(_learner);
        _learner.BeginRun();
        // A run built in code still says what it is, so reports never group different settings as seeds of one; a run
        // built from a RunConfig has already written its own, fuller config.json, which is kept.
        if (_directory is not null && !File.Exists(_directory.ConfigFile))
            RunDirectory.WriteAtomically(_directory.ConfigFile, LearnerConfig.Describe(_learner, _evaluator.Options, _options) + "\n");
        using (_events = _directory is not null && _options.TensorBoard ? TensorBoardLog.Create(_directory.Path) : null)
        using (_log = _directory is null ? null : new MetricsLog(_directory.MetricsFile, truncateTo: 0) { LineWritten = _events is null ? null : _events.Add })
            return Continue();
    }

    /// <summary>Continues the run in the directory from its last checkpoint.</summary>
    /// <exception cref="InvalidDataException">No usable checkpoint: missing, damaged or edited, or from a run with other settings (<see cref="RunCheckpoint.Load"/>).</exception>
    public RunResult Resume()
    {
        var directory = _directory ?? throw new InvalidOperationException("Resume needs the run directory.");
        _clock = Stopwatch.StartNew();
        (_progress, _initial) = RunCheckpoint.Load(directory.CheckpointFile, _learner, _options.Config);
        _learner.RestoreCounters(_progress.TotalSteps);
        using (_log = new MetricsLog(directory.MetricsFile, truncateTo: _progress.MetricsBytes))
        using (_events = _options.TensorBoard ? TensorBoardLog.Resume(directory.Path, _log.ReadLines()) : null)
        {
            _log.LineWritten = _events is null ? null : _events.Add;
            return Continue();
        }
    }

    private RunResult Continue()
    {
        _learner.StepCompleted += OnStep;
        try
        {
            int tasks = _learner.Scenario.TaskCount;
            for (int t = _progress.Task; t < tasks; t++) TrainAndEvaluate(t);
        }
        finally
        {
            _learner.StepCompleted -= OnStep;
        }
        var result = BuildResult();
        _events?.AddSummary(result.Summary, _progress.TotalSteps);
        _directory?.WriteResult(result);
        return result;
    }

    private void TrainAndEvaluate(int t)
    {
        var task = _learner.Scenario.GetTask(t);
        if (_progress.TaskStarted)
        {
            _learner.PrepareTask(task, _progress.TaskStep);
            try
            {
                if (_progress.Loader is { } loader) _learner.Loader.SetState(loader);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{_directory?.CheckpointFile}: the recorded data-loader position does not fit task {t} ({e.Message}). Resume from an intact copy of the run directory if you have one, or start the run again.", e);
            }
        }
        else
        {
            _learner.BeginTask(task);
            (_progress.TaskStarted, _progress.TaskStep, _progress.TaskOnlineSum) = (true, 0, 0);
        }
        _observer?.OnTaskStart(task, _learner.Scenario.TaskCount, _progress.TaskStep);
        _learner.TrainTask();
        _learner.EndTask();

        var (row, auroc) = _evaluator.Row(_learner, t);
        if (auroc is not null) _progress.AurocRows.Add(auroc);
        var probe = _evaluator.Probe(_learner, t, _initial) with { Method = MethodDiagnostics(t) };
        double online = _progress.TaskStep == 0 ? 0 : _progress.TaskOnlineSum / _progress.TaskStep;
        _progress.Rows.Add(row);
        _progress.OnlineAccuracy.Add(online);
        _progress.Probes.Add(probe);
        _log?.Write(new { Event = "task_end", Task = t, Steps = _progress.TaskStep, TotalSteps = _progress.TotalSteps, Accuracy = row, OnlineAccuracy = online, Probe = probe });
        _observer?.OnTaskEnd(task, row, online);

        (_progress.Task, _progress.TaskStarted, _progress.TaskStep, _progress.TaskOnlineSum, _progress.Loader) = (t + 1, false, 0, 0, null);
        SaveCheckpoint();
    }

    private Dictionary<string, double>? MethodDiagnostics(int t)
    {
        var all = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var method in _learner.Methods)
        {
            var values = method.Diagnostics(_learner) ?? new Dictionary<string, double>();
            if (method is IAnalysisHeads analysis) values = values.Concat(_evaluator.AnalysisHeads(_learner, analysis, t)).ToDictionary();
            foreach (var (key, value) in values) all[_learner.Methods.Count == 1 ? key : $"{method.Name}.{key}"] = value;
        }
        return all.Count == 0 ? null : all;
    }

    private void OnStep(StepContext step)
    {
        double loss = step.TotalLoss?.Item() ?? double.NaN;
        if (step.TotalLoss is not null && !double.IsFinite(loss))
        {
            _log?.Write(new { Event = "diverged", Task = _learner.CurrentTask!.Id, Step = _learner.TaskStep, TotalSteps = _learner.TotalSteps, Loss = loss });
            throw new TrainingDivergedException(_learner.CurrentTask!.Id, _learner.TaskStep, loss, [.. _learner.Methods.Select(m => m.Name)]);
        }
        _progress.TaskStep = _learner.TaskStep;
        _progress.TotalSteps = _learner.TotalSteps;
        _progress.TaskOnlineSum += step.OnlineAccuracy;
        _progress.TotalOnlineSum += step.OnlineAccuracy;
        var window = _progress.Window;
        (window.Steps, window.Loss, window.OnlineAccuracy) = (window.Steps + 1, window.Loss + loss, window.OnlineAccuracy + step.OnlineAccuracy);
        var task = _learner.CurrentTask!;
        if (_options.LogEvery > 0 && window.Steps >= _options.LogEvery)
        {
            _log?.Write(new { Event = "step", Task = task.Id, Step = _learner.TaskStep, TotalSteps = _learner.TotalSteps, Loss = window.Loss / window.Steps, OnlineAccuracy = window.OnlineAccuracy / window.Steps });
            _progress.Window = new LogWindow();
        }
        _observer?.OnStep(task, _learner.TaskStep, loss, step.OnlineAccuracy);
        if (_options.CheckpointEverySteps > 0 && _learner.TaskStep % _options.CheckpointEverySteps == 0 && _learner.TaskStep < task.Steps && _learner.SupportsMidTaskCheckpoint)
        {
            _progress.Loader = _learner.Loader.GetState();
            SaveCheckpoint();
        }
    }

    private void SaveCheckpoint()
    {
        if (_directory is null || !_options.Checkpoint) return;
        double before = _progress.WallSeconds;
        _progress.WallSeconds = before + _clock.Elapsed.TotalSeconds;
        _progress.MetricsBytes = _log?.Length ?? 0;
        RunCheckpoint.Save(_directory.CheckpointFile, _learner, _progress, _initial, _options.Config);
        _progress.WallSeconds = before;
    }

    private RunResult BuildResult()
    {
        var rows = _progress.Rows.Select(r => (IReadOnlyList<double?>)r).ToList();
        double totalOnline = _progress.TotalSteps == 0 ? 0 : _progress.TotalOnlineSum / _progress.TotalSteps;
        var summary = ContinualMetrics.Summarize(rows, _progress.RandomInitAccuracy, totalOnline);
        return new RunResult(_scenarioName, [.. _learner.Methods.Select(m => m.Name)], _learner.Rng.Seed, _learner.Scenario.TaskCount,
            rows, _progress.RandomInitAccuracy, [.. _progress.OnlineAccuracy], summary, [.. _progress.Probes],
            _progress.WallSeconds + _clock.Elapsed.TotalSeconds, new EvaluationSchedule(_evaluator.Options.Every, _evaluator.Options.TestSubset))
        {
            AurocMatrix = _progress.AurocRows.Count == 0 ? null : [.. _progress.AurocRows.Select(r => (IReadOnlyList<double?>)r)],
            Provenance = Provenance ?? RunProvenance.Capture([]),
        };
    }
}
