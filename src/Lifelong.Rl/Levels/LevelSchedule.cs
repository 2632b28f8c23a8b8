namespace Lifelong.Rl.Levels;

/// <summary>The order in which levels are visited and how many environment steps each visit lasts.</summary>
/// <remarks>
/// The level in force when the environment's step counter (total steps over all episodes) reads t is
/// <c>Order[min(t / StepsPerLevel, Order.Count − 1)]</c>: after the last entry the world stays as it is. An entry may
/// repeat an earlier one (<c>[0, 1, 2, 0]</c>) so the return of an old world measures forgetting.
/// </remarks>
public sealed record LevelSchedule
{
    /// <summary>A schedule visiting <paramref name="order"/> for <paramref name="stepsPerLevel"/> steps each.</summary>
    /// <param name="order">Indices into the level list, at least one.</param>
    /// <param name="stepsPerLevel">K, the steps per visit; at least 1.</param>
    public LevelSchedule(IReadOnlyList<int> order, long stepsPerLevel)
    {
        if (order.Count == 0) throw new ArgumentException("LevelSchedule: the order must name at least one level.", nameof(order));
        if (stepsPerLevel < 1) throw new ArgumentOutOfRangeException(nameof(stepsPerLevel), stepsPerLevel, "LevelSchedule: stepsPerLevel must be at least 1.");
        if (order.Any(i => i < 0)) throw new ArgumentException("LevelSchedule: level indices must be 0 or more.", nameof(order));
        Order = order.ToArray();
        StepsPerLevel = stepsPerLevel;
    }

    /// <summary>Level indices in visiting order.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>K, environment steps per visit.</summary>
    public long StepsPerLevel { get; }

    /// <summary>Total steps until the last visit begins plus its own K: the schedule's length.</summary>
    public long TotalSteps => Order.Count * StepsPerLevel;

    /// <summary>Levels 0, 1, …, <paramref name="levelCount"/> − 1, each for <paramref name="stepsPerLevel"/> steps.</summary>
    public static LevelSchedule Sequential(int levelCount, long stepsPerLevel) =>
        new(Enumerable.Range(0, levelCount).ToArray(), stepsPerLevel);

    /// <summary>Levels 0 … <paramref name="levelCount"/> − 1, then level <paramref name="returnTo"/> again: a schedule that measures forgetting.</summary>
    public static LevelSchedule WithReturn(int levelCount, long stepsPerLevel, int returnTo = 0)
    {
        if (returnTo < 0 || returnTo >= levelCount)
            throw new ArgumentOutOfRangeException(nameof(returnTo), returnTo, $"LevelSchedule: the returning level must be one of 0 … {levelCount - 1}.");
        return new([.. Enumerable.Range(0, levelCount), returnTo], stepsPerLevel);
    }

    /// <summary>The position in <see cref="Order"/> in force at total step <paramref name="step"/>.</summary>
    public int PositionAt(long step) => (int)Math.Min(step / StepsPerLevel, Order.Count - 1);
}
