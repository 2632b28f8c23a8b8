using System.Globalization;

namespace Lifelong.Rl.Environments;

/// <summary>The bookkeeping every environment shares: the seeded generator, the episode's step count and time limit,
/// the reset-before-step rule, saving and restoring, and named world parameters that levels change.</summary>
/// <remarks>
/// A subclass says only what its world does: draw an initial state (<see cref="ResetState"/>), advance it
/// (<see cref="Advance"/>), and show it (<see cref="Observe"/>), with its state as a float64 vector
/// (<see cref="GetValues"/>, <see cref="SetValues"/>). Parameters (pole length, gravity, goal cell, ...) are
/// configuration rather than state: they are not saved, because whoever set them (a level schedule) sets them again.
/// </remarks>
public abstract class EpisodicEnvironment : IEnvironment
{
    private readonly List<(string Name, Func<double> Get, Action<double> Set)> _parameters = [];
    private Rng? _rng;
    private EpisodeStatus _status = EpisodeStatus.NotStarted;

    /// <summary>Sets the time limit.</summary>
    /// <param name="maxEpisodeSteps">Steps after which an episode is truncated; at least 1.</param>
    protected EpisodicEnvironment(int maxEpisodeSteps)
    {
        if (maxEpisodeSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "maxEpisodeSteps must be at least 1.");
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract int ObservationSize { get; }

    /// <inheritdoc/>
    public abstract int ActionCount { get; }

    /// <inheritdoc/>
    public int MaxEpisodeSteps { get; }

    /// <inheritdoc/>
    public int ElapsedSteps { get; private set; }

    /// <summary>Number of float64 values in the saved state.</summary>
    protected abstract int StateSize { get; }

    /// <summary>The names of the world's parameters, in registration order.</summary>
    public IReadOnlyList<string> ParameterNames => _parameters.Select(p => p.Name).ToList();

    /// <summary>The current value of parameter <paramref name="name"/>.</summary>
    public double GetParameter(string name) => Find(name).Get();

    /// <summary>Changes parameter <paramref name="name"/>; takes effect from the next step (or reset, for what a reset draws).</summary>
    public void SetParameter(string name, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, $"{Name}: parameter '{name}' must be finite.");
        Find(name).Set(value);
    }

    /// <inheritdoc/>
    public void Reset(Span<float> observation, ulong? seed = null)
    {
        CheckLength(observation);
        if (seed is { } s) _rng = new Rng(s);
        else if (_rng is null) throw new InvalidOperationException($"{Name}: the first Reset needs a seed (Reset(observation, seed)); later resets without one continue the same stream.");
        ResetState(_rng);
        ElapsedSteps = 0;
        _status = EpisodeStatus.Running;
        Observe(observation);
    }

    /// <inheritdoc/>
    public Transition Step(int action, Span<float> observation)
    {
        CheckLength(observation);
        if ((uint)action >= (uint)ActionCount) throw new ArgumentOutOfRangeException(nameof(action), action, $"{Name}: actions are 0 … {ActionCount - 1}.");
        if (_status != EpisodeStatus.Running)
            throw new InvalidOperationException(_status == EpisodeStatus.NotStarted
                ? $"{Name}: call Reset before Step."
                : $"{Name}: the episode ended (terminated or truncated); call Reset before stepping again.");
        var (reward, terminated) = Advance(action);
        ElapsedSteps++;
        bool truncated = ElapsedSteps >= MaxEpisodeSteps;
        if (terminated || truncated) _status = EpisodeStatus.Ended;
        Observe(observation);
        return new Transition(reward, terminated, truncated);
    }

    /// <inheritdoc/>
    public EnvironmentState Save()
    {
        var values = new double[StateSize];
        GetValues(values);
        return new EnvironmentState(Name, values, ElapsedSteps, _status, _rng?.GetState());
    }

    /// <inheritdoc/>
    public void Restore(EnvironmentState state)
    {
        if (state.Name != Name) throw new ArgumentException($"Restore: the state is of '{state.Name}', this environment is '{Name}'.", nameof(state));
        if (state.Values.Length != StateSize) throw new ArgumentException($"Restore: {Name} has {StateSize} state values, the state has {state.Values.Length}.", nameof(state));
        if (state.ElapsedSteps < 0 || state.ElapsedSteps > MaxEpisodeSteps)
            throw new ArgumentException($"Restore: {state.ElapsedSteps} elapsed steps is outside 0 … {MaxEpisodeSteps} (this environment's time limit).", nameof(state));
        SetValues(state.Values);
        ElapsedSteps = state.ElapsedSteps;
        _status = state.Status;
        if (state.Rng is null) _rng = null;
        else
        {
            _rng = new Rng(state.Rng[0]);
            _rng.SetState(state.Rng);
        }
    }

    /// <summary>Registers a world parameter for <see cref="SetParameter"/> and level schedules.</summary>
    protected void AddParameter(string name, Func<double> get, Action<double> set) => _parameters.Add((name, get, set));

    /// <summary>Draws the initial state of an episode.</summary>
    protected abstract void ResetState(Rng rng);

    /// <summary>Advances the world by one step under <paramref name="action"/> (already checked to be in range).</summary>
    /// <returns>The reward and whether the new state is terminal.</returns>
    protected abstract (double Reward, bool Terminated) Advance(int action);

    /// <summary>Writes the observation of the current state.</summary>
    protected abstract void Observe(Span<float> observation);

    /// <summary>Copies the state into <paramref name="values"/> (length <see cref="StateSize"/>).</summary>
    protected abstract void GetValues(Span<double> values);

    /// <summary>Sets the state from <paramref name="values"/> (length <see cref="StateSize"/>).</summary>
    protected abstract void SetValues(ReadOnlySpan<double> values);

    private (string Name, Func<double> Get, Action<double> Set) Find(string name)
    {
        foreach (var p in _parameters)
            if (p.Name == name) return p;
        throw new ArgumentException($"{Name} has no parameter '{name}'; it has: {string.Join(", ", _parameters.Select(p => p.Name))}.", nameof(name));
    }

    private void CheckLength(Span<float> observation)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"{Name}: the observation buffer has length {observation.Length.ToString(CultureInfo.InvariantCulture)}, it must be {ObservationSize}.", nameof(observation));
    }
}
