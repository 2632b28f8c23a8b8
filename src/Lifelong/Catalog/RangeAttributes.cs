using System.Globalization;

namespace Lifelong.Catalog;

/// <summary>The valid values of a numeric option: an interval, closed unless told otherwise. On a list of numbers (<c>int[]</c>)
/// it bounds every element; an absent optional value (null) is always valid.</summary>
/// <remarks>Put it on an options record's constructor parameter (or a <see cref="Runs.RunConfig"/> property). It is the one
/// declaration of the range: <see cref="OptionRules"/> checks it wherever options are bound, <c>lifelong methods</c> prints it,
/// and the fuzz test reads it. Non-finite numbers (NaN, ±∞) are never valid.</remarks>
/// <param name="min">The lower bound.</param>
/// <param name="max">The upper bound.</param>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public class BetweenAttribute(double min, double max) : Attribute
{
    /// <summary>The lower bound.</summary>
    public double Min { get; } = min;

    /// <summary>The upper bound (+∞ for none); settable so that <c>[Positive(Max = 10_000)]</c> reads as it means.</summary>
    public double Max { get; set; } = max;

    /// <summary>Whether <see cref="Min"/> itself is excluded.</summary>
    public bool MinExclusive { get; set; }

    /// <summary>Whether <see cref="Max"/> itself is excluded.</summary>
    public bool MaxExclusive { get; set; }

    /// <summary>Whether <paramref name="value"/> lies in the interval (NaN and ±∞ never do).</summary>
    public bool Admits(double value) =>
        double.IsFinite(value) && (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    /// <summary>The interval as a user reads it: "an integer ≥ 1", "a number in (0, 1]", "an integer from 1 to 10,000".</summary>
    /// <param name="integer">Whether the option takes whole numbers (an exclusive bound then becomes the next integer).</param>
    public string Describe(bool integer)
    {
        if (integer)
        {
            var (low, high) = IntegerBounds();
            return double.IsPositiveInfinity(Max) ? $"an integer ≥ {Number(low)}" : $"an integer from {Number(low)} to {Number(high)}";
        }
        if (double.IsPositiveInfinity(Max)) return $"a number {(MinExclusive ? ">" : "≥")} {Number(Min)}";
        return $"a number in {(MinExclusive ? '(' : '[')}{Number(Min)}, {Number(Max)}{(MaxExclusive ? ')' : ']')}";
    }

    /// <summary>The short form for tables: "≥ 1", "(0, 1]", "1..10000".</summary>
    public string Short(bool integer)
    {
        if (integer)
        {
            var (low, high) = IntegerBounds();
            return double.IsPositiveInfinity(Max) ? $"≥ {Number(low)}" : $"{Number(low)}..{Number(high)}";
        }
        if (double.IsPositiveInfinity(Max)) return $"{(MinExclusive ? ">" : "≥")} {Number(Min)}";
        return $"{(MinExclusive ? '(' : '[')}{Number(Min)}, {Number(Max)}{(MaxExclusive ? ')' : ']')}";
    }

    /// <summary>The smallest and largest whole numbers in the interval (an exclusive bound becomes the next integer inside).</summary>
    private (double Low, double High) IntegerBounds() =>
        (MinExclusive ? Math.Floor(Min) + 1 : Math.Ceiling(Min), MaxExclusive ? Math.Ceiling(Max) - 1 : Math.Floor(Max));

    private static string Number(double value) => value.ToString(Math.Abs(value) >= 10_000 && value == Math.Floor(value) ? "N0" : "R", CultureInfo.InvariantCulture);
}

/// <summary>Valid values are &gt; 0 (for an integer, ≥ 1): counts, sizes, step sizes, temperatures.</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class PositiveAttribute : BetweenAttribute
{
    /// <summary>(0, +∞), or (0, <see cref="BetweenAttribute.Max"/>] when a maximum is set.</summary>
    public PositiveAttribute() : base(0, double.PositiveInfinity) => MinExclusive = true;
}

/// <summary>Valid values are ≥ 0: strengths, decays, optional counts where 0 means "none".</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class NonNegativeAttribute : BetweenAttribute
{
    /// <summary>[0, +∞), or [0, <see cref="BetweenAttribute.Max"/>] when a maximum is set.</summary>
    public NonNegativeAttribute() : base(0, double.PositiveInfinity) { }
}

/// <summary>Valid values are in [0, 1]: probabilities, fractions, mixing weights (set <see cref="BetweenAttribute.MaxExclusive"/>
/// for a momentum or a decay that must stay below 1).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false)]
public sealed class ProbabilityAttribute : BetweenAttribute
{
    /// <summary>[0, 1].</summary>
    public ProbabilityAttribute() : base(0, 1) { }
}
