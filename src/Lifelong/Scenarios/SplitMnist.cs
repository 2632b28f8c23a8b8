using Lifelong.Data;

namespace Lifelong.Scenarios;

/// <summary>Split MNIST (van de Ven, Tuytelaars &amp; Tolias 2022): five tasks of two digits, {0,1}, {2,3}, {4,5}, {6,7}, {8,9}.</summary>
/// <remarks>
/// Defaults from van de Ven et al.'s <c>param_values.py</c>: 2,000 iterations per task, batch 128, all training images of
/// each digit, the whole test set of those digits. Task-incremental: two-unit head per task, task id at test;
/// domain-incremental: one two-unit head ("first or second digit of the pair", i.e. even/odd); class-incremental: one ten-unit head.
/// </remarks>
public static class SplitMnist
{
    /// <summary>The scenario's command-line name.</summary>
    public const string ScenarioName = "split-mnist";

    /// <summary>The five digit pairs.</summary>
    public static int[][] Pairs => [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];

    /// <summary>Split MNIST over <paramref name="mnist"/> in the given flavour.</summary>
    public static ClassSplit Create(TrainTestSplit mnist, SplitFlavour flavour, ulong seed, ClassSplitOptions? options = null) =>
        new(mnist, Pairs, flavour, seed, options, ScenarioName);
}
