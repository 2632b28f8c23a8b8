using Lifelong.Data;

namespace Lifelong.Scenarios;

/// <summary>Split CIFAR-10 (five tasks of two classes) and split CIFAR-100 (T tasks of 100/T classes, 10 × 10 by default),
/// in van de Ven et al.'s three flavours, on the user's own copy of CIFAR (<c>lifelong datasets</c> says where to put it).</summary>
/// <remarks>
/// Split CIFAR-100 in ten tasks of ten classes is the class-incremental protocol of the pretrained-model methods (SoTU,
/// RanPAC, SimpleCIL: "B0 Inc10"), which usually shuffle the class order with a fixed seed; <c>shuffle-class-order=true</c>
/// does that with the run's seed. Budgets default to split MNIST's (2,000 steps of 128 per task); set them for the protocol
/// being reproduced.
/// </remarks>
public static class SplitCifar
{
    /// <summary>The command-line name of split CIFAR-10.</summary>
    public const string Cifar10Name = "split-cifar10";

    /// <summary>The command-line name of split CIFAR-100.</summary>
    public const string Cifar100Name = "split-cifar100";

    /// <summary>Split CIFAR-10 over <paramref name="cifar10"/>: classes {0,1}, {2,3}, …, {8,9}.</summary>
    public static ClassSplit Cifar10(TrainTestSplit cifar10, SplitFlavour flavour, ulong seed, ClassSplitOptions? options = null) =>
        new(cifar10, SplitMnist.Pairs, flavour, seed, options, Cifar10Name);

    /// <summary>Split CIFAR-100 over <paramref name="cifar100"/> in <paramref name="tasks"/> tasks of consecutive classes.</summary>
    /// <exception cref="ArgumentException"><paramref name="tasks"/> does not divide the 100 classes.</exception>
    public static ClassSplit Cifar100(TrainTestSplit cifar100, int tasks, SplitFlavour flavour, ulong seed, ClassSplitOptions? options = null)
    {
        if (tasks <= 0 || 100 % tasks != 0)
            throw new ArgumentException($"tasks={tasks} does not divide CIFAR-100's 100 classes evenly; use 2, 4, 5, 10, 20, 25 or 50.", nameof(tasks));
        int size = 100 / tasks;
        int[][] groups = [.. Enumerable.Range(0, tasks).Select(t => Enumerable.Range(t * size, size).ToArray())];
        return new ClassSplit(cifar100, groups, flavour, seed, options, Cifar100Name);
    }
}
