using Lifelong.Data;
using Lifelong.Scenarios;

namespace Lifelong.Cli.Tests;

public class ConsoleProgressTests
{
    private static ContinualTask Task(int id, int steps) =>
        new(id, $"task {id}", [0, 1], () => throw new InvalidOperationException("no data"), () => throw new InvalidOperationException("no data"), steps, 16);

    /// <summary>Drives a display through <paramref name="variants"/> × <paramref name="tasks"/> tasks of <paramref name="steps"/>
    /// steps on a fake clock that advances one second per step.</summary>
    private static string Drive(int width, int variants, int tasks, int steps, int taskCount = 0)
    {
        var output = new StringWriter();
        long ticks = 0;
        var progress = new ConsoleProgress(output, terminal: true, width: width, elapsed: () => TimeSpan.FromSeconds(ticks));
        for (int v = 0; v < variants; v++)
        {
            if (variants > 1) progress.BeginVariant(v, variants);
            for (int t = 0; t < tasks; t++)
            {
                var task = Task(t, steps);
                progress.OnTaskStart(task, taskCount == 0 ? tasks : taskCount, 0);
                for (int s = 1; s <= steps; s++)
                {
                    ticks++;
                    progress.OnStep(task, s, 0.123456, 0.9);
                }
                progress.OnTaskEnd(task, [.. Enumerable.Repeat<double?>(0.5, tasks)], 0.9);
            }
        }
        return output.ToString();
    }

    /// <summary>Every redraw: what follows a carriage return up to the next one, without the erase-to-end-of-line code.</summary>
    private static List<string> Redraws(string output) =>
        [.. output.Split('\r').Skip(1).Select(s => s.Replace("\u001b[K", "", StringComparison.Ordinal)).Where(s => s.Length > 0 && !s.Contains('\n', StringComparison.Ordinal))];

    [Theory]
    [InlineData(80)]
    [InlineData(40)]
    [InlineData(200)]
    public void Redraws_stay_on_one_line_within_the_width(int width)
    {
        string output = Drive(width, variants: 3, tasks: 2, steps: 5_000, taskCount: 999);
        var redraws = Redraws(output);
        Assert.NotEmpty(redraws);
        // One line per finished task and nothing else: a redraw never ends in a new line.
        Assert.Equal(3 * 2, output.Count(c => c == '\n'));
        Assert.All(redraws, r => Assert.True(r.Length < width, $"{r.Length} columns: '{r}'"));
        if (width >= 80)   // the line after each task fits a standard terminal too
            Assert.All(output.Split('\n'), line => Assert.True(line.Split('\r').Last().Replace("\u001b[K", "", StringComparison.Ordinal).Length < 80, line));
        Assert.Contains(redraws, r => r.Contains("variant 3 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public void In_a_comparison_the_ETA_covers_every_variant_still_to_run()
    {
        // One second per step; at the end of variant 1's first task (20 of 20 steps) there remain its second task (20 steps)
        // and variant 2's two tasks (40 steps): 60 steps at 1 s each, 01:00 — not the 00:20 of the current variant alone.
        string output = Drive(width: 120, variants: 2, tasks: 2, steps: 20);
        var lines = Redraws(output);
        Assert.Contains(lines, r => r.Contains("task 1/2 step 20/20", StringComparison.Ordinal) && r.Contains("variant 1 of 2", StringComparison.Ordinal) && r.EndsWith("ETA 01:00 all", StringComparison.Ordinal));
        // In the last variant only its own remaining steps count: after its first task, 20 steps.
        Assert.Contains(lines, r => r.Contains("variant 2 of 2", StringComparison.Ordinal) && r.Contains("task 1/2 step 20/20", StringComparison.Ordinal) && r.EndsWith("ETA 00:20 all", StringComparison.Ordinal));
    }

    [Fact]
    public void Redirected_output_gets_plain_lines_without_control_characters()
    {
        var output = new StringWriter();
        var progress = new ConsoleProgress(output, terminal: false, lineEvery: 10);
        var task = Task(0, 30);
        progress.OnTaskStart(task, 1, 0);
        for (int s = 1; s <= 30; s++) progress.OnStep(task, s, 0.5, 0.5);
        progress.OnTaskEnd(task, [0.5], 0.5);
        string text = output.ToString();
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Equal(4, text.Count(c => c == '\n'));   // task start, steps 10 and 20, task end
    }

}
