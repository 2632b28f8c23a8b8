namespace Lifelong.Reports.Figures;

/// <summary>The anti-aliased coverage (0..1 per pixel) of one shape over a rectangle of pixels: polygons are filled with
/// <see cref="Subrows"/> sample rows per pixel and exact horizontal coverage, and several polygons of one shape (the
/// segments and joins of a stroke) merge by taking the larger coverage, so their overlaps are not painted twice.</summary>
internal sealed class Coverage
{
    /// <summary>Sample rows per pixel row.</summary>
    public const int Subrows = 6;   // even, so no sample row falls on a half-pixel edge

    private readonly float[] _row;
    private readonly List<(double X, int Winding)> _crossings = [];

    /// <summary>Coverage over the pixels [x0, x0 + width) × [y0, y0 + height).</summary>
    public Coverage(int x0, int y0, int width, int height)
    {
        (X0, Y0, Width, Height) = (x0, y0, Math.Max(width, 0), Math.Max(height, 0));
        Values = new float[Width * Height];
        _row = new float[Width];
    }

    /// <summary>The first pixel column.</summary>
    public int X0 { get; }

    /// <summary>The first pixel row.</summary>
    public int Y0 { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Coverage per pixel, row-major.</summary>
    public float[] Values { get; }

    /// <summary>The smallest coverage rectangle around <paramref name="points"/> (pixel coordinates), grown by <paramref name="margin"/>
    /// and clipped to a <paramref name="imageWidth"/> × <paramref name="imageHeight"/> image.</summary>
    public static Coverage Around(IEnumerable<PointD> points, double margin, int imageWidth, int imageHeight)
    {
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var p in points) (minX, minY, maxX, maxY) = (Math.Min(minX, p.X), Math.Min(minY, p.Y), Math.Max(maxX, p.X), Math.Max(maxY, p.Y));
        int x0 = Math.Max(0, (int)Math.Floor(minX - margin)), y0 = Math.Max(0, (int)Math.Floor(minY - margin));
        int x1 = Math.Min(imageWidth, (int)Math.Ceiling(maxX + margin) + 1), y1 = Math.Min(imageHeight, (int)Math.Ceiling(maxY + margin) + 1);
        return new Coverage(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>Adds a filled polygon (pixel coordinates, non-zero winding).</summary>
    public void AddPolygon(IReadOnlyList<PointD> polygon)
    {
        if (polygon.Count < 3 || Width == 0 || Height == 0) return;
        double top = polygon.Min(p => p.Y), bottom = polygon.Max(p => p.Y);
        int firstRow = Math.Max(Y0, (int)Math.Floor(top)), lastRow = Math.Min(Y0 + Height - 1, (int)Math.Ceiling(bottom));
        // Only the polygon's own columns are cleared and merged: a stroke's many small pieces stay cheap in a wide shape.
        int left = Math.Clamp((int)Math.Floor(polygon.Min(p => p.X)) - X0, 0, Width), right = Math.Clamp((int)Math.Ceiling(polygon.Max(p => p.X)) + 1 - X0, 0, Width);
        for (int y = firstRow; y <= lastRow; y++)
        {
            Array.Clear(_row, left, right - left);
            bool touched = false;
            for (int s = 0; s < Subrows; s++)
            {
                double sampleY = y + (s + 0.5) / Subrows;
                _crossings.Clear();
                for (int i = 0; i < polygon.Count; i++)
                {
                    var (a, b) = (polygon[i], polygon[(i + 1) % polygon.Count]);
                    if ((a.Y <= sampleY) == (b.Y <= sampleY)) continue;
                    double x = a.X + (sampleY - a.Y) * (b.X - a.X) / (b.Y - a.Y);
                    _crossings.Add((x, b.Y > a.Y ? 1 : -1));
                }
                if (_crossings.Count < 2) continue;
                _crossings.Sort((p, q) => p.X.CompareTo(q.X));
                int winding = 0;
                for (int k = 0; k < _crossings.Count - 1; k++)
                {
                    winding += _crossings[k].Winding;
                    if (winding != 0) touched |= AddSpan(_crossings[k].X, _crossings[k + 1].X, 1f / Subrows);
                }
            }
            if (!touched) continue;
            var values = Values.AsSpan((y - Y0) * Width, Width);
            for (int x = left; x < right; x++) values[x] = Math.Max(values[x], Math.Min(_row[x], 1f));
        }
    }

    /// <summary>Adds <paramref name="weight"/> × the overlap of [<paramref name="from"/>, <paramref name="to"/>) with each pixel of the row.</summary>
    private bool AddSpan(double from, double to, float weight)
    {
        from = Math.Max(from, X0);
        to = Math.Min(to, X0 + Width);
        if (to <= from) return false;
        int first = (int)Math.Floor(from), last = (int)Math.Ceiling(to) - 1;
        for (int x = first; x <= last; x++)
        {
            double overlap = Math.Min(to, x + 1) - Math.Max(from, x);
            if (overlap > 0) _row[x - X0] += (float)(overlap * weight);
        }
        return true;
    }
}
