using System.Diagnostics;
using System.Globalization;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Cli;

/// <summary>Shows a run's progress: a redrawn progress bar on a terminal (task, step, loss, online accuracy, ETA),
/// plain lines when output is redirected (one per task, and one every <c>lineEvery</c> steps).</summary>
public sealed class ConsoleProgress(TextWriter output, bool terminal, int lineEvery = 500) : ITrainingObserver
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Stopwatch _redraw = Stopwatch.StartNew();
    private int _taskCount;
    private long _stepsDone;
    private long _stepsAtStart;
    private double _loss = double.NaN;
    private double _online = double.NaN;

    /// <inheritdoc/>
    public void OnTaskStart(ContinualTask task, int taskCount, int stepsDone)
    {
        if (_taskCount == 0) _stepsAtStart = _stepsDone;
        _taskCount = taskCount;
        if (!terminal) output.WriteLine($"task {task.Id + 1}/{taskCount} ({task.Name}): {task.Steps} steps{(stepsDone > 0 ? $", resuming at step {stepsDone}" : "")}");
    }

    /// <inheritdoc/>
    public void OnStep(ContinualTask task, int step, double loss, double onlineAccuracy)
    {
        _stepsDone++;
        _loss = double.IsNaN(_loss) ? loss : 0.98 * _loss + 0.02 * loss;
        _online = double.IsNaN(_online) ? onlineAccuracy : 0.98 * _online + 0.02 * onlineAccuracy;
        if (terminal)
        {
            if (_redraw.ElapsedMilliseconds < 100 && step < task.Steps) return;
            _redraw.Restart();
            output.Write($"\r{Bar(step, task.Steps)} task {task.Id + 1}/{_taskCount} step {step}/{task.Steps}  loss {F(_loss, 4)}  online {F(_online, 3)}  ETA {Eta(task, step)}   ");
        }
        else if (lineEvery > 0 && step % lineEvery == 0 && step < task.Steps)
            output.WriteLine($"  step {step}/{task.Steps}  loss {F(_loss, 4)}  online accuracy {F(_online, 3)}");
    }

    /// <inheritdoc/>
    public void OnTaskEnd(ContinualTask task, IReadOnlyList<double?> row, double onlineAccuracy)
    {
        if (terminal) output.Write("\r" + new string(' ', 100) + "\r");
        var seen = row.Take(task.Id + 1).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        string mean = seen.Count == 0 ? "-" : F(seen.Average(), 4);
        output.WriteLine($"task {task.Id + 1}/{_taskCount} done: accuracy on it {F(row[task.Id] ?? double.NaN, 4)}, mean over tasks so far {mean}, online accuracy {F(onlineAccuracy, 4)}  [{_clock.Elapsed:mm\\:ss}]");
    }

    private string Eta(ContinualTask task, int step)
    {
        long done = _stepsDone - _stepsAtStart;
        if (done < 10 || _taskCount == 0) return "--:--";
        double perStep = _clock.Elapsed.TotalSeconds / done;
        double remaining = perStep * ((task.Steps - step) + (double)(_taskCount - task.Id - 1) * task.Steps);
        return TimeSpan.FromSeconds(remaining).ToString(remaining >= 3600 ? @"h\:mm\:ss" : @"mm\:ss", CultureInfo.InvariantCulture);
    }

    private static string Bar(int step, int steps)
    {
        const int width = 20;
        int filled = steps == 0 ? width : (int)((long)step * width / steps);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string F(double value, int digits) => double.IsNaN(value) ? "-" : value.ToString("F" + digits, CultureInfo.InvariantCulture);
}
