using System.Globalization;
using System.Text;
using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Reports;
using Lifelong.Results;

namespace Lifelong.Sweeps;

/// <summary>One cell of a sweep table: mean ± std over a variant's seeds and the 95 % confidence interval of the mean.</summary>
/// <param name="Stat">Mean and sample standard deviation (<see cref="MeanStd"/>, as the report computes them).</param>
/// <param name="HalfWidth">t₀.₉₇₅,ₙ₋₁ · std / √n: the interval is mean ± this; NaN with fewer than two seeds.</param>
public readonly record struct SweepCell(MeanStd Stat, double HalfWidth);

/// <summary>One row: a variant, the seeds its finished runs had, and one cell per metric.</summary>
/// <param name="Label">The variant's axis values.</param>
/// <param name="Seeds">Seeds with a result.</param>
/// <param name="Missing">Runs of the variant without a result (queued, running, failed or diverged).</param>
/// <param name="Cells">One cell per metric, in the table's metric order.</param>
public sealed record SweepRow(string Label, IReadOnlyList<ulong> Seeds, int Missing, IReadOnlyList<SweepCell> Cells);

/// <summary>The aggregate of a sweep: per variant (runs equal but for the seed), mean ± std and the 95 % CI over seeds.</summary>
/// <param name="Metrics">The metrics, one column each.</param>
/// <param name="Rows">One row per variant, in sweep order.</param>
public sealed record SweepTable(IReadOnlyList<string> Metrics, IReadOnlyList<SweepRow> Rows)
{
    /// <summary>The table of phase <paramref name="phase"/>'s runs of <paramref name="plan"/> in <paramref name="directory"/>
    /// (only those on <paramref name="seeds"/> when given: a variant without such runs has no row); <paramref name="kind"/>
    /// reads the metrics of a sweep over another command than <c>run</c>.</summary>
    public static SweepTable Build(string directory, SweepPlan plan, IReadOnlyList<string> metrics, string? phase = null, SweepKind? kind = null, IReadOnlyCollection<ulong>? seeds = null)
    {
        var resolved = metrics.Select(m => SweepMetrics.Of(m, kind)).ToList();
        var rows = new List<SweepRow>();
        foreach (var all in plan.Variants(phase ?? plan.ReportedPhase))
        {
            var variant = seeds is null ? all : [.. all.Where(r => seeds.Contains(r.Seed))];
            if (variant.Count == 0) continue;
            var files = variant.Select(run => (run.Seed, File: Path.Combine(SweepPlan.RunDirectoryOf(directory, run), "result.json"))).Where(r => File.Exists(r.File)).ToList();
            var cells = resolved.Select(m =>
            {
                var stat = MeanStd.Of(files.Select(f => m.Value(f.File)));
                return new SweepCell(stat, StudentT.HalfWidth95(stat.Std, stat.Count));
            }).ToList();
            rows.Add(new SweepRow(variant[0].Label, [.. files.Select(f => f.Seed)], variant.Count - files.Count, cells));
        }
        return new SweepTable([.. resolved.Select(m => m.Name)], rows);
    }

    /// <summary>The table as <c>text</c> (aligned columns), <c>markdown</c>, <c>csv</c> or <c>json</c>.</summary>
    /// <exception cref="ConfigurationException">An unknown format.</exception>
    public string Format(string format) => Format(format, new SweepTableStyle());

    /// <summary>The table as <c>text</c> or <c>markdown</c> with cells printed as <paramref name="style"/> says, or as
    /// <c>csv</c> or <c>json</c> (every number in full, whatever the style).</summary>
    /// <exception cref="ConfigurationException">An unknown format or style.</exception>
    public string Format(string format, SweepTableStyle style) => format.ToLowerInvariant() switch
    {
        "text" => Text(style.Validate()),
        "markdown" or "md" => Markdown(style.Validate()),
        "csv" => Csv(),
        "json" => Json(),
        _ => throw new ConfigurationException($"unknown table format '{format}'; use text, markdown, csv or json."),
    };

    private string Text(SweepTableStyle style)
    {
        var header = new List<string> { "variant", "n" };
        string what = style.Cells switch { "mean" => "mean", "mean-std" => "mean ± std", _ => "mean ± std, 95% CI" };
        header.AddRange(Metrics.Select(m => $"{m} ({what}{(style.Percent ? ", %" : "")})"));
        var lines = Rows.Select(r => (List<string>)[r.Label, Count(r), .. r.Cells.Select(c => Cell(c, style, "  "))]).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, lines.Count == 0 ? 0 : lines.Max(l => l[i].Length))).ToList();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var line in lines) text.AppendLine(string.Join("  ", line.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        return text.ToString();
    }

    private string Markdown(SweepTableStyle style)
    {
        var text = new StringBuilder();
        text.AppendLine($"| variant | n | {string.Join(" | ", Metrics)} |");
        text.AppendLine($"|---|---:|{string.Concat(Metrics.Select(_ => "---|"))}");
        foreach (var row in Rows)
            text.AppendLine($"| {row.Label.Replace("|", "\\|", StringComparison.Ordinal)} | {Count(row)} | {string.Join(" | ", row.Cells.Select(c => Cell(c, style, " ")))} |");
        return text.ToString();
    }

    private string Csv()
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', new[] { "variant", "n", "missing" }.Concat(Metrics.SelectMany(m => new[] { $"{m}_mean", $"{m}_std", $"{m}_ci95" }))));
        foreach (var row in Rows)
            text.AppendLine(string.Join(',', new[] { Quote(row.Label), Number(row.Seeds.Count), Number(row.Missing) }
                .Concat(row.Cells.SelectMany(c => new[] { Number(c.Stat.Mean), Number(c.Stat.Std), Number(c.HalfWidth) }))));
        return text.ToString();
    }

    private string Json()
    {
        var rows = Rows.Select(r => new
        {
            Variant = r.Label,
            r.Seeds,
            r.Missing,
            Metrics = Metrics.Select((m, i) => (m, r.Cells[i])).ToDictionary(p => p.m, p => new
            {
                Mean = Finite(p.Item2.Stat.Mean),
                Std = Finite(p.Item2.Stat.Std),
                Ci95 = Finite(p.Item2.HalfWidth),
                N = p.Item2.Stat.Count,
            }),
        });
        return JsonSerializer.Serialize(new { Metrics, Rows = rows }, RunResult.JsonOptions) + "\n";
    }

    private static string Count(SweepRow row) => row.Missing == 0 ? Number(row.Seeds.Count) : $"{row.Seeds.Count}/{row.Seeds.Count + row.Missing}";

    // As MeanStd.Format: "n/a" without values, the mean alone for one value, else mean ± std.
    private static string Cell(SweepCell cell, SweepTableStyle style, string gap)
    {
        if (cell.Stat.Count == 0) return "n/a";
        double mean = cell.Stat.Mean * style.Scale, std = cell.Stat.Std * style.Scale;
        string text = style.Cells == "mean" || cell.Stat.Count == 1 ? Fixed(mean, style.Digits) : $"{Fixed(mean, style.Digits)} ± {Fixed(std, style.Digits)}";
        if (style.Cells != "mean-std-ci" || !double.IsFinite(cell.HalfWidth)) return text;
        double half = cell.HalfWidth * style.Scale;
        return $"{text}{gap}[{Fixed(mean - half, style.Digits)}, {Fixed(mean + half, style.Digits)}]";
    }

    // The exact binary value rounded to the nearest printed digit, a negative value that rounds to zero keeping its sign
    // (-0.0), as C's printf and Python's format do: the reproduction tables were printed that way, and a table
    // regenerated from the same result.json files then agrees with them to the last digit. Math.Round(0.505, 2) would
    // give 0.5, from the scaled 50.5; the double 0.505 is just above the tie and printf gives 0.51.
    private static string Fixed(double value, int digits) =>
        double.IsFinite(value) ? value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string text) => text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
        ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : text;
}
