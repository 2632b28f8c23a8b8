using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml.Linq;
using Lifelong.Reports;
using Lifelong.Reports.Figures;

namespace Lifelong.Tests.Reports;

public class FigureTests
{
    [Fact]
    public void Figures_are_written_as_svg_and_png_per_chart_with_the_tables_in_markdown_and_latex()
    {
        using var folder = new TestData.TempFolder();
        var runs = ReportRuns.Load(
            ReportRuns.WriteRun(folder.Path, "b0", ReportRuns.Result("s", ["replay"], 0)),
            ReportRuns.WriteRun(folder.Path, "a0", ReportRuns.Result("s", ["ewc"], 0)),
            ReportRuns.WriteRun(folder.Path, "b1", ReportRuns.Result("s", ["replay"], 1)));
        string figures = Path.Combine(folder.Path, "figures");

        var written = ReportFigures.Write(runs, figures);

        // Per group (replay first, as given): matrix and task lines; then online accuracy and six probe charts.
        var names = written.Select(Path.GetFileName).ToList();
        Assert.Equal(2 * (2 * 2 + 1 + 6) + 2, names.Count);
        Assert.Equal("01-accuracy-matrix-s-replay.svg", names[0]);
        Assert.Equal("03-accuracy-matrix-s-ewc.svg", names[4]);
        Assert.Contains("05-online-accuracy.png", names);
        foreach (string svg in written.Where(f => f.EndsWith(".svg", StringComparison.Ordinal)))
        {
            var root = XDocument.Load(svg).Root!;
            Assert.Equal(("6.5in", "4in"), ((string?)root.Attribute("width"), (string?)root.Attribute("height")));
            Assert.NotEmpty(root.Descendants(root.Name.Namespace + "text"));   // real text, not outlines
        }
        var png = Png.Read(File.ReadAllBytes(written.Single(f => f.EndsWith("05-online-accuracy.png", StringComparison.Ordinal))));
        Assert.Equal((1950, 1200), (png.Width, png.Height));   // 6.5 × 4 in at 300 dpi
        Assert.Equal(11811u, png.PixelsPerMetre);             // 300 / 0.0254
        Assert.Contains("| s | replay | 0, 1 | 3 | 0.695 ± 0.007 |", File.ReadAllText(Path.Combine(figures, "summary.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_figure_png_has_valid_chunks_and_the_curve_where_its_points_are()
    {
        // One series from (1, 0.2) to (3, 0.8): the y axis fits it exactly, so the first point sits at the plot's
        // bottom-left corner, (58, 248) pt, and the last on the plot's top edge, y = 28 pt.
        var chart = new LineChart
        {
            Title = "t",
            IncludeZero = false,
            Series = [new ChartSeries("a", "#e15759", [new(1, 0.2), new(2, 0.5), new(3, 0.8)])],
        };
        var canvas = new RasterCanvas(ChartFigure.Width, ChartFigure.Height, 300);
        ChartFigure.Draw(chart, canvas);
        var png = Png.Read(canvas.ToPng());

        Assert.Equal((1950, 1200), (png.Width, png.Height));
        Assert.Equal(canvas.ToRgbBytes(), png.Rgb);
        const double scale = 300.0 / 72;
        Assert.Equal((0xe1, 0x57, 0x59), png.Pixel((int)(58 * scale), (int)(248 * scale)));
        Assert.Equal((255, 255, 255), png.Pixel(5, 1195));
        int topRow = (int)(28 * scale);
        Assert.Contains(Enumerable.Range(975, 800), x => png.Pixel(x, topRow) == (0xe1, 0x57, 0x59));
        // Anti-aliasing: the line's edge has colours between the line's and the paper's.
        var column = Enumerable.Range(0, 1200).Select(y => png.Pixel((int)(58 * scale) + 120, y)).ToList();
        Assert.Contains(column, p => p.R is > 0xe1 and < 255 && p.G is > 0x57 and < 255);
    }

    [Fact]
    public void A_raster_line_covers_its_width_and_fades_at_its_edges()
    {
        var canvas = new RasterCanvas(100, 50, 72);   // one pixel a point
        canvas.Polyline([new(10, 20.5), new(90, 20.5)], new Rgb(0, 0, 0), 3);
        var rgb = canvas.ToRgbBytes();
        int Grey(int x, int y) => rgb[(y * 100 + x) * 3];
        Assert.Equal(0, Grey(50, 20));     // inside: rows 19..21 fully covered (y from 19 to 22)
        Assert.Equal(0, Grey(50, 21));
        Assert.Equal(255, Grey(50, 24));   // outside
        Assert.Equal(255, Grey(95, 20));   // past the round cap (radius 1.5)
        canvas.Polyline([new(10, 40), new(90, 40)], new Rgb(0, 0, 0), 1);   // a 1-pt line centred on a pixel edge: two half rows
        rgb = canvas.ToRgbBytes();
        Assert.InRange(Grey(50, 39), 120, 135);
        Assert.InRange(Grey(50, 40), 120, 135);
    }

    [Theory]
    [InlineData(0.91, 0.97, false, 0.91, 0.97, 0.01)]    // close accuracies: not flattened on [0, 1]
    [InlineData(0.1, 0.95, false, 0.0, 1.0, 0.2)]
    [InlineData(-0.35, 0.06, false, -0.4, 0.1, 0.1)]     // BWT-like values below zero
    [InlineData(0.05, 0.3, true, 0.0, 0.3, 0.05)]        // a fraction drawn from zero
    [InlineData(0.8, 0.8, false, 0.74, 0.86, 0.02)]      // a flat line: ±0.05 around it, then whole ticks
    [InlineData(120, 480, false, 100, 500, 100)]
    public void The_y_axis_fits_the_data_with_whole_ticks(double low, double high, bool includeZero, double min, double max, double step)
    {
        var range = AxisRange.Fit(low, high, includeZero);
        Assert.Equal(min, range.Min, 9);
        Assert.Equal(max, range.Max, 9);
        Assert.Equal(step, range.Step, 9);
        Assert.Equal(range.Min, range.Ticks()[0], 9);
        Assert.Equal(range.Max, range.Ticks()[^1], 9);
    }

    [Fact]
    public void An_accuracy_band_past_one_does_not_stretch_the_axis_past_one()
    {
        var chart = new LineChart { Title = "t", IncludeZero = false, YBounds = (0, 1), Series = [new ChartSeries("a", "#000000", [new(1, 0.9, 0.2), new(2, 0.95, 0.1)])] };
        var range = chart.FitY(chart.FinitePoints());
        Assert.Equal((0.7, 1.0), (range.Min, range.Max));
        var unbounded = new LineChart { Title = "t", IncludeZero = false, Series = chart.Series };   // the same data without bounds reaches past 1
        Assert.True(unbounded.FitY(unbounded.FinitePoints()).Max > 1);
    }

    [Fact]
    public void The_latex_table_escapes_text_and_typesets_mean_and_std_in_math_mode()
    {
        using var folder = new TestData.TempFolder();
        var runs = ReportRuns.Load(
            ReportRuns.WriteRun(folder.Path, "r0", ReportRuns.Result("split_mnist", ["l2_init"], 0)),
            ReportRuns.WriteRun(folder.Path, "r1", ReportRuns.Result("split_mnist", ["l2_init"], 1)));
        var groups = RunGroup.Form(runs);

        string latex = SummaryTable.Latex(groups);
        Assert.Contains("\\begin{tabular}{llrrrrrrrrr}", latex, StringComparison.Ordinal);
        // acc: 0.70 and 0.69 → mean 0.695, sample std 0.00707; wall seconds 12.5 and 13.5 → 13.0 ± 0.7.
        Assert.Contains("split\\_mnist & l2\\_init & 0, 1 & 3 & $0.695 \\pm 0.007$ &", latex, StringComparison.Ordinal);
        Assert.Contains("$13.0 \\pm 0.7$ \\\\", latex, StringComparison.Ordinal);
        Assert.Equal("a\\&b\\%c\\$d\\#e\\_f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k", SummaryTable.Escape("a&b%c$d#e_f{g}h~i^j\\k"));

        string markdown = SummaryTable.Markdown(groups);
        var lines = markdown.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(lines[0].Count(c => c == '|'), lines[1].Count(c => c == '|'));
        Assert.Equal("| split_mnist | l2_init | 0, 1 | 3 | 0.695 ± 0.007 | 0.800 ± 0.000 | -0.105 ± 0.007 | 0.000 ± 0.000 | 0.120 ± 0.000 | 0.750 ± 0.000 | 13.0 ± 0.7 |", lines[2]);
    }

    /// <summary>A PNG reader written from the specification, for the tests: checks the signature and every chunk's CRC-32
    /// (computed bit by bit, not with the encoder's table), inflates IDAT and undoes the five row filters.</summary>
    private sealed record Png(int Width, int Height, uint PixelsPerMetre, byte[] Rgb)
    {
        public (int R, int G, int B) Pixel(int x, int y) => (Rgb[(y * Width + x) * 3], Rgb[(y * Width + x) * 3 + 1], Rgb[(y * Width + x) * 3 + 2]);

        public static Png Read(byte[] bytes)
        {
            Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
            int offset = 8, width = 0, height = 0;
            uint ppm = 0;
            var idat = new MemoryStream();
            var types = new List<string>();
            while (offset < bytes.Length)
            {
                int length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset));
                string type = System.Text.Encoding.ASCII.GetString(bytes, offset + 4, 4);
                var data = bytes.AsSpan(offset + 8, length);
                Assert.Equal(BitwiseCrc32(bytes.AsSpan(offset + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(offset + 8 + length)));
                types.Add(type);
                switch (type)
                {
                    case "IHDR":
                        (width, height) = ((int)BinaryPrimitives.ReadUInt32BigEndian(data), (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                        Assert.Equal([8, 2, 0, 0, 0], data[8..13].ToArray());
                        break;
                    case "pHYs": ppm = BinaryPrimitives.ReadUInt32BigEndian(data); break;
                    case "IDAT": idat.Write(data); break;
                }
                offset += 12 + length;
            }
            Assert.Equal("IHDR", types[0]);
            Assert.Equal("IEND", types[^1]);
            using var inflated = new MemoryStream();
            idat.Position = 0;
            using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
            var raw = inflated.ToArray();
            int stride = width * 3;
            Assert.Equal(height * (stride + 1), raw.Length);
            var rgb = new byte[height * stride];
            for (int y = 0; y < height; y++)
            {
                byte filter = raw[y * (stride + 1)];
                for (int i = 0; i < stride; i++)
                {
                    int a = i >= 3 ? rgb[y * stride + i - 3] : 0, b = y > 0 ? rgb[(y - 1) * stride + i] : 0, c = i >= 3 && y > 0 ? rgb[(y - 1) * stride + i - 3] : 0;
                    int predictor = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, 4 => Paeth(a, b, c), _ => throw new InvalidDataException($"filter {filter}") };
                    rgb[y * stride + i] = (byte)(raw[y * (stride + 1) + 1 + i] + predictor);
                }
            }
            return new Png(width, height, ppm, rgb);
        }

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }

        private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
        {
            uint crc = 0xFFFFFFFF;
            foreach (byte b in data)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
            }
            return ~crc;
        }
    }
}
