namespace Lifelong.Data;

/// <summary>Rotation of an image about its centre with bilinear interpolation; pixels from outside the image are 0.</summary>
public static class ImageRotation
{
    /// <summary>Writes <paramref name="source"/> rotated by <paramref name="degrees"/> (counter-clockwise as displayed, rows top to bottom) into <paramref name="destination"/>.</summary>
    /// <remarks>
    /// Inverse mapping: destination pixel (x, y), relative to the centre c = ((W−1)/2, (H−1)/2), samples the source at
    /// (cos θ·u − sin θ·v, sin θ·u + cos θ·v) + c, u = x − c_x, v = y − c_y. Multiples of 90° on a square image move
    /// pixels exactly.
    /// </remarks>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, ImageShape shape, double degrees)
    {
        double radians = degrees * Math.PI / 180.0;
        double cos = Math.Round(Math.Cos(radians), 12), sin = Math.Round(Math.Sin(radians), 12); // exact 0/±1 at right angles
        double cx = (shape.Width - 1) / 2.0, cy = (shape.Height - 1) / 2.0;
        for (int c = 0; c < shape.Channels; c++)
        {
            var plane = source.Slice(c * shape.Plane, shape.Plane);
            for (int y = 0; y < shape.Height; y++)
                for (int x = 0; x < shape.Width; x++)
                {
                    double u = x - cx, v = y - cy;
                    double sx = cos * u - sin * v + cx, sy = sin * u + cos * v + cy;
                    int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                    double fx = sx - x0, fy = sy - y0;
                    double value = (1 - fx) * (1 - fy) * At(plane, shape, x0, y0) + fx * (1 - fy) * At(plane, shape, x0 + 1, y0)
                                 + (1 - fx) * fy * At(plane, shape, x0, y0 + 1) + fx * fy * At(plane, shape, x0 + 1, y0 + 1);
                    destination[c * shape.Plane + y * shape.Width + x] = (float)value;
                }
        }
    }

    private static float At(ReadOnlySpan<float> plane, ImageShape shape, int x, int y) =>
        (uint)x < (uint)shape.Width && (uint)y < (uint)shape.Height ? plane[y * shape.Width + x] : 0f;
}
