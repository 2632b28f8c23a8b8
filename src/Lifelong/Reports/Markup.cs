using System.Globalization;
using System.Text;

namespace Lifelong.Reports;

/// <summary>Text that goes into HTML and SVG: escaping, invariant number formatting, and the colours of the report.</summary>
internal static class Markup
{
    /// <summary>Tableau 10: distinct colours for groups and tasks, cycled after ten.</summary>
    private static readonly string[] s_palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Viridis at ten evenly spaced points, for the heatmap's colour scale.</summary>
    private static readonly (byte R, byte G, byte B)[] s_viridis =
    [
        (0x44, 0x01, 0x54), (0x48, 0x28, 0x78), (0x3e, 0x49, 0x89), (0x31, 0x68, 0x8e), (0x26, 0x82, 0x8e),
        (0x1f, 0x9e, 0x89), (0x35, 0xb7, 0x79), (0x6e, 0xce, 0x58), (0xb5, 0xde, 0x2b), (0xfd, 0xe7, 0x25),
    ];

    /// <summary>The i-th categorical colour.</summary>
    public static string Colour(int i) => s_palette[i % s_palette.Length];

    /// <summary>The viridis colour at t ∈ [0, 1] (clamped), linearly interpolated between the stops.</summary>
    public static string Viridis(double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        double position = t * (s_viridis.Length - 1);
        int i = Math.Min((int)position, s_viridis.Length - 2);
        double f = position - i;
        var (a, b) = (s_viridis[i], s_viridis[i + 1]);
        return $"#{Mix(a.R, b.R, f):x2}{Mix(a.G, b.G, f):x2}{Mix(a.B, b.B, f):x2}";

        static int Mix(byte x, byte y, double f) => (int)Math.Round(x + (y - x) * f);
    }

    /// <summary>Escapes &amp;, &lt;, &gt;, quotes and apostrophes, and drops the control characters XML forbids,
    /// so the text is safe in element content and in quoted attributes of both HTML and XHTML.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                case < ' ' and not ('\t' or '\n' or '\r'): break;
                case '\uFFFE' or '\uFFFF': break;
                default: builder.Append(c); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>A coordinate or value with at most <paramref name="decimals"/> decimals, invariant culture.</summary>
    public static string Number(double value, int decimals = 1) =>
        Math.Round(value, decimals).ToString("0." + new string('#', Math.Max(decimals, 0)), CultureInfo.InvariantCulture);

    /// <summary>A metric value with a fixed number of decimals (n/a when not finite); adding +0 turns a −0 left by rounding into 0.</summary>
    public static string Fixed(double value, int decimals = 3) =>
        double.IsFinite(value) ? (Math.Round(value, decimals) + 0.0).ToString("F" + decimals, CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A 1-2-5 step near <paramref name="rough"/>: the spacing of axis ticks.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough)) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double f = rough / magnitude;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
    }

    /// <summary>Decimals needed to tell ticks <paramref name="step"/> apart.</summary>
    public static int DecimalsFor(double step) => Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 6);
}
