using System.Text;

namespace Lifelong.Cli;

/// <summary>Word wrapping for text printed to a terminal: lines no wider than the terminal (80 columns when output is redirected).</summary>
public static class TextWrap
{
    /// <summary>The columns to fill on <paramref name="output"/>: the console window's width when it is the console and a
    /// terminal, else 80.</summary>
    public static int WidthOf(TextWriter output) => ReferenceEquals(output, Console.Out) ? ConsoleProgress.TerminalWidth() : 80;

    /// <summary><paramref name="text"/> broken at spaces into lines of at most <paramref name="width"/> characters; the first
    /// starts with <paramref name="first"/>, the others with <paramref name="indent"/> spaces. A word longer than a line is
    /// broken after a '|', ',' or '/' where it can be, else cut.</summary>
    public static IEnumerable<string> Lines(string first, string text, int indent, int width)
    {
        indent = Math.Clamp(indent, 0, width / 2);
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string rest = word;
            while (rest.Length > 0)
            {
                int room = width - line.Length - (empty ? 0 : 1);
                if (rest.Length <= room)
                {
                    if (!empty) line.Append(' ');
                    line.Append(rest);
                    (rest, empty) = ("", false);
                    break;
                }
                int fresh = width - indent;
                if (!empty && rest.Length <= fresh)
                {
                    yield return line.ToString();
                    (line, empty) = (new StringBuilder(new string(' ', indent)), true);
                    continue;
                }
                if (room <= 0)
                {
                    yield return line.ToString();
                    (line, empty) = (new StringBuilder(new string(' ', indent)), true);
                    continue;
                }
                // A word longer than a whole line: fill this line with as much as fits, broken after a separator if possible.
                int take = room;
                int cut = rest.LastIndexOfAny(['|', ',', '/'], take - 1);
                if (cut > 0) take = cut + 1;
                if (!empty) line.Append(' ');
                line.Append(rest[..take]);
                rest = rest[take..];
                yield return line.ToString();
                (line, empty) = (new StringBuilder(new string(' ', indent)), true);
            }
        }
        if (!empty || line.ToString().Trim().Length > 0) yield return line.ToString().TrimEnd();
    }

    /// <summary>Writes <see cref="Lines"/> to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, string first, string text, int indent, int width)
    {
        foreach (string line in Lines(first, text, indent, width)) output.WriteLine(line);
    }
}
