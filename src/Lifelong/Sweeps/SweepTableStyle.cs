using Lifelong.Catalog;

namespace Lifelong.Sweeps;

/// <summary>How the text and markdown tables print a cell; csv and json always carry every number in full.</summary>
/// <param name="Cells"><c>mean</c>, <c>mean-std</c> (<c>0.912 ± 0.013</c>) or <c>mean-std-ci</c> (and the 95 % interval).</param>
/// <param name="Digits">Decimals of every printed number.</param>
/// <param name="Percent">True to print fractions as percentages (×100): <c>91.2 ± 1.3</c>.</param>
public sealed record SweepTableStyle(string Cells = "mean-std-ci", int Digits = 4, bool Percent = false)
{
    /// <summary>The cell kinds, in the order of detail.</summary>
    public static IReadOnlyList<string> CellKinds { get; } = ["mean", "mean-std", "mean-std-ci"];

    /// <summary>Checks the style; throws <see cref="ConfigurationException"/> naming what to change.</summary>
    public SweepTableStyle Validate()
    {
        if (!CellKinds.Contains(Cells)) throw new ConfigurationException($"unknown cells '{Cells}'; use {string.Join(", ", CellKinds)}.");
        if (Digits is < 0 or > 15) throw new ConfigurationException($"digits {Digits}: use 0 to 15.");
        return this;
    }

    internal double Scale => Percent ? 100 : 1;
}
