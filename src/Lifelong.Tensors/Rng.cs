namespace Lifelong.Tensors;

/// <summary>A seeded, splittable random number generator (xoshiro256**), the only source of randomness in Lifelong.</summary>
/// <remarks>
/// Every initializer, shuffle, mask and sampler takes an explicit <see cref="Rng"/>. A run has one root seed;
/// <see cref="Split(string)"/> derives independent named streams from it, so adding a consumer of randomness in
/// one place never shifts the numbers drawn in another. The full state can be saved and restored
/// (<see cref="GetState"/>, <see cref="SetState"/>) so an interrupted run resumes bit for bit.
/// </remarks>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    private readonly ulong _seed;

    /// <summary>Creates a generator from a 64-bit seed; equal seeds give equal streams.</summary>
    public Rng(ulong seed)
    {
        _seed = seed;
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The seed this generator was created from.</summary>
    public ulong Seed => _seed;

    /// <summary>An independent stream named <paramref name="name"/>; depends only on this generator's seed and the name, not on how much was drawn.</summary>
    public Rng Split(string name)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the name, mixed with the seed
        foreach (char ch in name)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        ulong x = _seed ^ h;
        return new Rng(SplitMix64(ref x));
    }

    /// <summary>An independent stream numbered <paramref name="index"/> (per task, per seed, ...).</summary>
    public Rng Split(int index) => Split("#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "NextInt: the bound must be positive.");
        ulong bound = (ulong)maxExclusive;
        while (true)
        {
            ulong r = NextUInt64() >> 32;
            ulong product = r * bound;
            uint low = (uint)product;
            if (low >= (uint)((0x1_0000_0000UL - bound) % bound)) return (int)(product >> 32);
        }
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int min, int maxExclusive) => min + NextInt(maxExclusive - min);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A standard normal sample (Box–Muller in double precision).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log is finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="destination"/> with U[<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        float width = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + width * NextFloat();
    }

    /// <summary>Fills <paramref name="destination"/> with N(<paramref name="mean"/>, <paramref name="std"/>²), two samples per Box–Muller pair.</summary>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        for (int i = 0; i < destination.Length; i += 2)
        {
            double u1 = 1.0 - NextDouble();
            double u2 = NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            destination[i] = (float)(mean + std * radius * Math.Cos(2.0 * Math.PI * u2));
            if (i + 1 < destination.Length) destination[i + 1] = (float)(mean + std * radius * Math.Sin(2.0 * Math.PI * u2));
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniformly random permutation of 0..<paramref name="n"/>−1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }

    /// <summary>The generator's full state, for checkpoints: the seed followed by the four state words.</summary>
    public ulong[] GetState() => [_seed, _s0, _s1, _s2, _s3];

    /// <summary>Restores a state from <see cref="GetState"/>; the seed must match this generator's.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 5) throw new ArgumentException($"Rng.SetState: expected 5 words, got {state.Length}.", nameof(state));
        if (state[0] != _seed) throw new ArgumentException($"Rng.SetState: the state belongs to seed {state[0]}, this generator has seed {_seed}.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[1], state[2], state[3], state[4]);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
