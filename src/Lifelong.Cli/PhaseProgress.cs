using System.Diagnostics;
using System.Globalization;

namespace Lifelong.Cli;

/// <summary>Progress of the commands that train without a task stream (<c>distill</c>, <c>pretrain</c>, <c>meta</c>,
/// <c>transfer</c>): one line per phase ("seed 0: teacher"), redrawn in place on a terminal within its width; on redirected
/// output a plain line at every tenth of a phase (ten lines, the last one when it ends).</summary>
/// <remarks>The line is kept one column short of the width, as <see cref="ConsoleProgress"/>'s, so that it never wraps.</remarks>
public sealed class PhaseProgress
{
    private readonly TextWriter _output;
    private readonly bool _terminal;
    private readonly int _width;
    private readonly Stopwatch _phaseClock = new();
    private readonly Stopwatch _redraw = Stopwatch.StartNew();
    private string? _phase;
    private int _tenths = -1;

    /// <summary>A reporter on <paramref name="output"/>; <paramref name="terminal"/> redraws, otherwise plain lines.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="terminal">Whether <paramref name="output"/> is an interactive terminal.</param>
    /// <param name="width">Columns available; the console window's when absent.</param>
    public PhaseProgress(TextWriter output, bool terminal, int? width = null) =>
        (_output, _terminal, _width) = (output, terminal, Math.Max(20, width ?? ConsoleProgress.TerminalWidth()));

    /// <summary>A reporter on the standard error stream, redrawing when it is a terminal.</summary>
    public static PhaseProgress OnStandardError(TextWriter error) =>
        new(error, ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>A reporter on the standard output stream, redrawing when it is a terminal.</summary>
    public static PhaseProgress OnStandardOutput(TextWriter output) =>
        new(output, ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);

    /// <summary>Step <paramref name="done"/> of <paramref name="total"/> of <paramref name="phase"/> is finished.</summary>
    public void Report(string phase, int done, int total) => Report(phase, done, total, "");

    /// <summary>Step <paramref name="done"/> of <paramref name="total"/> of <paramref name="phase"/> is finished;
    /// <paramref name="detail"/> (a loss, an accuracy) is shown beside it.</summary>
    public void Report(string phase, int done, int total, string detail)
    {
        if (phase != _phase)
        {
            (_phase, _tenths) = (phase, -1);
            _phaseClock.Restart();
        }
        bool last = done >= total;
        if (_terminal)
        {
            if (!last && _redraw.ElapsedMilliseconds < 100) return;
            _redraw.Restart();
            _output.Write("\r" + Fit(Line(phase, done, total, detail)) + "\u001b[K" + (last ? Environment.NewLine : ""));
            return;
        }
        int tenths = total <= 0 ? 10 : (int)(10L * done / total);
        if (tenths == _tenths || tenths == 0) return;
        _tenths = tenths;
        _output.WriteLine(Line(phase, done, total, detail));
    }

    private string Line(string phase, int done, int total, string detail)
    {
        string eta = done >= total ? $"in {Clock(_phaseClock.Elapsed)}" : done < 1 ? "ETA --:--" : $"ETA {Clock(_phaseClock.Elapsed * ((double)(total - done) / done))}";
        return $"{phase}: {done}/{total}{(detail.Length > 0 ? "  " + detail : "")}  {eta}";
    }

    private string Fit(string line) => line.Length < _width ? line : line[..(_width - 1)];

    private static string Clock(TimeSpan time) => time.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)time.TotalHours}:{time.Minutes:00}:{time.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{time.Minutes:00}:{time.Seconds:00}");
}
