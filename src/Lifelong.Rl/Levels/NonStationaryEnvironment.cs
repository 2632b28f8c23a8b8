using Lifelong.Rl.Environments;

namespace Lifelong.Rl.Levels;

/// <summary>An environment whose world changes every K steps: a <see cref="LevelSchedule"/> over a list of
/// <see cref="Level"/>s, applied to an inner environment.</summary>
/// <remarks>
/// <para>The wrapper counts every step over all episodes (<see cref="TotalSteps"/>). Before each reset and each step it
/// looks up the level in force at that count; when it differs from the current one it switches: every parameter goes
/// back to the inner environment's default, the level's own values are set, and its offset replaces the old one. So a
/// switch happens at the first call made at a multiple of K. A switch does not reset the episode: the world changes
/// under a running episode, as in Dohare et al.'s slippery Ant; the C-CHAIN protocol instead resets at its iteration
/// boundaries, which fall on level boundaries, so its first observation of a level comes from the new world.
/// <see cref="LevelSwitched"/> tells an agent that the last call began a new level, for methods that use task
/// boundaries; an agent that must not know simply ignores it.</para>
/// <para>The saved state is the inner state with three values appended: the total step count, the schedule position and
/// the switched flag, so a resumed run continues in the same level, bit for bit.</para>
/// </remarks>
public sealed class NonStationaryEnvironment : IEnvironment
{
    private readonly EpisodicEnvironment _inner;
    private readonly Level[] _levels;
    private readonly Dictionary<string, double> _defaults;
    private double[]? _offset;
    private int _position = -1;

    /// <summary>Wraps <paramref name="inner"/> (which this wrapper then owns) with <paramref name="levels"/> visited by <paramref name="schedule"/>.</summary>
    public NonStationaryEnvironment(EpisodicEnvironment inner, IReadOnlyList<Level> levels, LevelSchedule schedule)
    {
        _inner = inner;
        _levels = levels.ToArray();
        Schedule = schedule;
        _defaults = inner.ParameterNames.ToDictionary(n => n, inner.GetParameter);
        for (int l = 0; l < _levels.Length; l++)
        {
            foreach (string name in _levels[l].Parameters.Keys)
                if (!_defaults.ContainsKey(name))
                    throw new ArgumentException($"Level {l} sets '{name}', which {inner.Name} does not have; it has: {string.Join(", ", _defaults.Keys)}.", nameof(levels));
            if (_levels[l].ObservationOffset is { } offset && offset.Count != inner.ObservationSize)
                throw new ArgumentException($"Level {l} has an offset of length {offset.Count}; {inner.Name} observations have length {inner.ObservationSize}.", nameof(levels));
        }
        foreach (int index in schedule.Order)
            if (index >= _levels.Length)
                throw new ArgumentException($"The schedule names level {index}, but only levels 0 … {_levels.Length - 1} are defined.", nameof(schedule));
        Enter(0);
    }

    /// <summary>The environment being changed.</summary>
    public EpisodicEnvironment Inner => _inner;

    /// <summary>The levels, by index.</summary>
    public IReadOnlyList<Level> Levels => _levels;

    /// <summary>The visiting order and K.</summary>
    public LevelSchedule Schedule { get; }

    /// <summary>Steps taken over all episodes.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>The position in <see cref="LevelSchedule.Order"/> now in force.</summary>
    public int SchedulePosition => _position;

    /// <summary>The index (into <see cref="Levels"/>) of the level now in force.</summary>
    public int LevelIndex => Schedule.Order[_position];

    /// <summary>True when the last <see cref="Reset"/> or <see cref="Step"/> was the first call of a new level.</summary>
    public bool LevelSwitched { get; private set; }

    /// <inheritdoc/>
    public string Name => _inner.Name;

    /// <inheritdoc/>
    public int ObservationSize => _inner.ObservationSize;

    /// <inheritdoc/>
    public int ActionCount => _inner.ActionCount;

    /// <inheritdoc/>
    public int MaxEpisodeSteps => _inner.MaxEpisodeSteps;

    /// <inheritdoc/>
    public int ElapsedSteps => _inner.ElapsedSteps;

    /// <inheritdoc/>
    public void Reset(Span<float> observation, ulong? seed = null)
    {
        Advance();
        _inner.Reset(observation, seed);
        Shift(observation);
    }

    /// <inheritdoc/>
    public Transition Step(int action, Span<float> observation)
    {
        Advance();
        var transition = _inner.Step(action, observation);
        TotalSteps++;
        Shift(observation);
        return transition;
    }

    /// <inheritdoc/>
    public EnvironmentState Save()
    {
        var inner = _inner.Save();
        return inner with { Values = [.. inner.Values, TotalSteps, _position, LevelSwitched ? 1 : 0] };
    }

    /// <inheritdoc/>
    public void Restore(EnvironmentState state)
    {
        int n = state.Values.Length;
        if (n < 3) throw new ArgumentException("Restore: the state has no level counters; was it saved by a NonStationaryEnvironment?", nameof(state));
        long totalSteps = (long)state.Values[n - 3];
        int position = (int)state.Values[n - 2];
        if (totalSteps < 0 || position < 0 || position >= Schedule.Order.Count)
            throw new ArgumentException($"Restore: schedule position {position} at step {totalSteps} does not fit this schedule of {Schedule.Order.Count} visits.", nameof(state));
        Enter(position);
        _inner.Restore(state with { Values = state.Values[..(n - 3)] });
        TotalSteps = totalSteps;
        LevelSwitched = state.Values[n - 1] != 0;
    }

    private void Advance()
    {
        int position = Schedule.PositionAt(TotalSteps);
        LevelSwitched = position != _position;
        if (LevelSwitched) Enter(position);
    }

    private void Enter(int position)
    {
        var level = _levels[Schedule.Order[position]];
        foreach (var (name, value) in _defaults) _inner.SetParameter(name, level.Parameters.TryGetValue(name, out double v) ? v : value);
        _offset = level.ObservationOffset?.ToArray();
        _position = position;
    }

    private void Shift(Span<float> observation)
    {
        if (_offset is null) return;
        for (int i = 0; i < observation.Length; i++) observation[i] = (float)(observation[i] + _offset[i]);
    }
}
