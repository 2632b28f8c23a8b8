using System.Diagnostics;
using System.Globalization;
using Lifelong.Runs;
using Lifelong.Scenarios;

namespace Lifelong.Cli;

/// <summary>Shows a run's progress: on a terminal one line redrawn in place (variant, bar, task, step, loss, online accuracy,
/// ETA) that never exceeds the terminal's width; plain lines when output is redirected (one per task, and one every
/// <c>lineEvery</c> steps).</summary>
/// <remarks>
/// A redraw is a carriage return, the line, and "erase to end of line" (ESC [K), and the line is kept one column short of the
/// width: a line that filled the last column would wrap on some terminals, and every redraw would then add a line.
/// In a comparison (<see cref="BeginVariant"/>) the ETA covers every variant still to run, each assumed as long as the
/// current one, at the average speed so far.
/// </remarks>
public sealed class ConsoleProgress : ITrainingObserver
{
    private const string EraseToEndOfLine = "\u001b[K";
    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly int _lineEvery;
    private readonly int _width;
    private readonly Func<TimeSpan> _elapsed;
    private readonly Stopwatch _redraw = Stopwatch.StartNew();
    private int _taskCount;
    private long _stepsDone;
    private long _stepsAtStart = -1;
    private double _loss = double.NaN;
    private double _online = double.NaN;
    private int _variant;
    private int _variantCount = 1;

    /// <summary>A display on <paramref name="output"/>; <paramref name="terminal"/> redraws one line, otherwise plain lines.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="terminal">Whether <paramref name="output"/> is an interactive terminal.</param>
    /// <param name="lineEvery">With plain lines: a line every this many steps (0: per task only).</param>
    /// <param name="width">Columns available; the console window's width when absent (80 when it cannot be read).</param>
    /// <param name="elapsed">The time since the start; a stopwatch when absent (tests pass a fake clock).</param>
    public ConsoleProgress(TextWriter output, bool terminal, int lineEvery = 500, int? width = null, Func<TimeSpan>? elapsed = null)
    {
        (_output, _terminal, _lineEvery) = (output, terminal, lineEvery);
        _width = Math.Max(20, width ?? TerminalWidth());
        var clock = Stopwatch.StartNew();
        _elapsed = elapsed ?? (() => clock.Elapsed);
    }

    /// <summary>The width of the console window, or 80 when there is none (output redirected, no terminal).</summary>
    public static int TerminalWidth()
    {
        try
        {
            return Console.IsOutputRedirected || Console.WindowWidth <= 0 ? 80 : Console.WindowWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 80;
        }
    }

    /// <summary>Marks the start of variant <paramref name="index"/> (0-based) of <paramref name="count"/> in a comparison.</summary>
    public void BeginVariant(int index, int count) => (_variant, _variantCount, _loss, _online) = (index, count, double.NaN, double.NaN);

    /// <inheritdoc/>
    public void OnTaskStart(ContinualTask task, int taskCount, int stepsDone)
    {
        if (_stepsAtStart < 0) _stepsAtStart = _stepsDone;
        _taskCount = taskCount;
        if (!_terminal) _output.WriteLine($"task {task.Id + 1}/{taskCount} ({task.Name}): {task.Steps} steps{(stepsDone > 0 ? $", resuming at step {stepsDone}" : "")}");
    }

    /// <inheritdoc/>
    public void OnStep(ContinualTask task, int step, double loss, double onlineAccuracy)
    {
        _stepsDone++;
        _loss = double.IsNaN(_loss) ? loss : 0.98 * _loss + 0.02 * loss;
        _online = double.IsNaN(_online) ? onlineAccuracy : 0.98 * _online + 0.02 * onlineAccuracy;
        if (_terminal)
        {
            if (_redraw.ElapsedMilliseconds < 100 && step < task.Steps) return;
            _redraw.Restart();
            _output.Write("\r" + Line(task, step) + EraseToEndOfLine);
        }
        else if (_lineEvery > 0 && step % _lineEvery == 0 && step < task.Steps)
            _output.WriteLine($"  step {step}/{task.Steps}  loss {F(_loss, 4)}  online accuracy {F(_online, 3)}");
    }

    /// <inheritdoc/>
    public void OnTaskEnd(ContinualTask task, IReadOnlyList<double?> row, double onlineAccuracy)
    {
        if (_terminal) _output.Write("\r" + EraseToEndOfLine);
        var seen = row.Take(task.Id + 1).Where(v => v.HasValue).Select(v => v!.Value).ToList();
        string mean = seen.Count == 0 ? "-" : F(seen.Average(), 4);
        // At most 79 columns for streams of up to 999 tasks under 10 hours, so the line does not wrap on an 80-column terminal.
        _output.WriteLine($"task {task.Id + 1}/{_taskCount} done: accuracy {F(row[task.Id] ?? double.NaN, 4)}, mean so far {mean}, online {F(onlineAccuracy, 4)} [{Clock(_elapsed())}]");
    }

    /// <summary>The progress line for <paramref name="step"/> of <paramref name="task"/>, at most one column short of the width:
    /// the bar shrinks first, then online accuracy, loss and the bar are left out, and a line still too long is cut.</summary>
    private string Line(ContinualTask task, int step)
    {
        string variant = _variantCount > 1 ? $"variant {_variant + 1} of {_variantCount} " : "";
        string where = $"task {task.Id + 1}/{_taskCount} step {step}/{task.Steps}";
        string eta = $" ETA {Eta(task, step)}{(_variantCount > 1 ? " all" : "")}";
        string loss = $" loss {F(_loss, 4)}", online = $" online {F(_online, 3)}";
        int room = _width - 1;
        for (int barWidth = 20; barWidth >= 10; barWidth--)
        {
            string line = variant + Bar(step, task.Steps, barWidth) + " " + where + loss + online + eta;
            if (line.Length <= room) return line;
        }
        foreach (string line in (string[])[variant + Bar(step, task.Steps, 10) + " " + where + loss + eta, variant + Bar(step, task.Steps, 10) + " " + where + eta, variant + where + eta])
            if (line.Length <= room) return line;
        string shortest = variant + where + eta;
        return shortest[..room];
    }

    private string Eta(ContinualTask task, int step)
    {
        long done = _stepsDone - Math.Max(0, _stepsAtStart);
        if (done < 10 || _taskCount == 0) return "--:--";
        double perStep = _elapsed().TotalSeconds / done;
        double thisVariant = (task.Steps - step) + (double)(_taskCount - task.Id - 1) * task.Steps;
        double laterVariants = (double)(_variantCount - _variant - 1) * _taskCount * task.Steps;
        return Clock(TimeSpan.FromSeconds(perStep * (thisVariant + laterVariants)));
    }

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes:00}:{time.Seconds:00}");

    private static string Bar(int step, int steps, int width)
    {
        int filled = steps == 0 ? width : (int)((long)step * width / steps);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    private static string F(double value, int digits) => double.IsNaN(value) ? "-" : value.ToString("F" + digits, CultureInfo.InvariantCulture);
}
