using Lifelong.Rl.Environments;

namespace Lifelong.Rl.Vectorization;

/// <summary>N copies of an environment stepped together, with batched buffers and same-step auto-reset.</summary>
/// <remarks>
/// <para>Auto-reset: when copy i's episode ends on a step, the copy is reset in that same call; <see cref="Observations"/>
/// holds the first observation of its new episode, <see cref="FinalObservations"/> the last observation of the episode
/// that ended (for bootstrapping V(s′) after a truncation), and <see cref="Terminated"/>/<see cref="Truncated"/> describe
/// the ended episode. This is Gymnasium's <c>AutoresetMode.SAME_STEP</c> (and Stable-Baselines3's behaviour), chosen
/// over Gymnasium's default <c>NEXT_STEP</c> because every call is then a real transition of every copy: no step
/// whose action is ignored, no mask for rollouts to carry.</para>
/// <para>Seeds: copy i is reset first with <see cref="CopySeed"/>(seed, i), drawn from <c>new Rng(seed).Split(i)</c>,
/// and later episodes continue its own stream; so copy i of a vector equals a single environment reset once with that
/// seed and stepped with the same actions. Copies are stepped one after another on the calling thread: a classic-control
/// step costs well under a microsecond, less than handing work to another core.</para>
/// </remarks>
public sealed class VectorEnvironment
{
    private readonly IEnvironment[] _copies;

    /// <summary>Creates <paramref name="count"/> copies with <paramref name="create"/>(i).</summary>
    /// <param name="create">Makes copy i; every copy must have the same observation size and action count.</param>
    /// <param name="count">N, at least 1.</param>
    public VectorEnvironment(Func<int, IEnvironment> create, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "VectorEnvironment: count must be at least 1.");
        _copies = Enumerable.Range(0, count).Select(create).ToArray();
        ObservationSize = _copies[0].ObservationSize;
        ActionCount = _copies[0].ActionCount;
        if (_copies.Any(c => c.ObservationSize != ObservationSize || c.ActionCount != ActionCount))
            throw new ArgumentException("VectorEnvironment: every copy must have the same observation size and action count.", nameof(create));
        Observations = new float[count * ObservationSize];
        FinalObservations = new float[count * ObservationSize];
        Rewards = new double[count];
        Terminated = new bool[count];
        Truncated = new bool[count];
    }

    /// <summary>N, the number of copies.</summary>
    public int Count => _copies.Length;

    /// <summary>Length of one copy's observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Number of discrete actions of each copy.</summary>
    public int ActionCount { get; }

    /// <summary>The copies, for inspection (level index, parameters); stepping them directly breaks the batch's bookkeeping.</summary>
    public IReadOnlyList<IEnvironment> Copies => _copies;

    /// <summary>(N, observation size) row-major: the current observation of every copy.</summary>
    public float[] Observations { get; }

    /// <summary>(N, observation size): for each copy whose episode ended on the last step, that episode's last observation.</summary>
    public float[] FinalObservations { get; }

    /// <summary>(N) rewards of the last step.</summary>
    public double[] Rewards { get; }

    /// <summary>(N) whether each copy's episode terminated on the last step.</summary>
    public bool[] Terminated { get; }

    /// <summary>(N) whether each copy's episode was truncated on the last step.</summary>
    public bool[] Truncated { get; }

    /// <summary>The seed copy <paramref name="index"/> is reset with when the vector is reset with <paramref name="seed"/>.</summary>
    public static ulong CopySeed(ulong seed, int index) => new Rng(seed).Split(index).NextUInt64();

    /// <summary>Resets every copy: with <see cref="CopySeed"/>(seed, i) when a seed is given, else continuing each copy's stream.</summary>
    public void Reset(ulong? seed = null)
    {
        for (int i = 0; i < _copies.Length; i++)
            _copies[i].Reset(Row(Observations, i), seed is { } s ? CopySeed(s, i) : null);
        Array.Clear(Rewards);
        Array.Clear(Terminated);
        Array.Clear(Truncated);
    }

    /// <summary>Steps every copy with its action, auto-resetting the copies whose episodes end.</summary>
    /// <param name="actions">(N) one action per copy.</param>
    public void Step(ReadOnlySpan<int> actions)
    {
        if (actions.Length != _copies.Length) throw new ArgumentException($"VectorEnvironment: {actions.Length} actions for {_copies.Length} copies.", nameof(actions));
        for (int i = 0; i < _copies.Length; i++)
        {
            var observation = Row(Observations, i);
            var t = _copies[i].Step(actions[i], observation);
            (Rewards[i], Terminated[i], Truncated[i]) = (t.Reward, t.Terminated, t.Truncated);
            if (t.Done)
            {
                observation.CopyTo(Row(FinalObservations, i));
                _copies[i].Reset(observation);
            }
        }
    }

    /// <summary>Everything needed to continue bit for bit: each copy's state and the current observations.</summary>
    public VectorEnvironmentState Save() => new(_copies.Select(c => c.Save()).ToArray(), (float[])Observations.Clone());

    /// <summary>Restores a state from <see cref="Save"/> of a vector of the same shape.</summary>
    public void Restore(VectorEnvironmentState state)
    {
        if (state.Copies.Length != _copies.Length || state.Observations.Length != Observations.Length)
            throw new ArgumentException($"Restore: the state has {state.Copies.Length} copies, this vector has {_copies.Length}.", nameof(state));
        for (int i = 0; i < _copies.Length; i++) _copies[i].Restore(state.Copies[i]);
        state.Observations.CopyTo(Observations, 0);
    }

    private Span<float> Row(float[] buffer, int i) => buffer.AsSpan(i * ObservationSize, ObservationSize);
}

/// <summary>A saved <see cref="VectorEnvironment"/>.</summary>
/// <param name="Copies">Each copy's state.</param>
/// <param name="Observations">(N, observation size) the observations the agent acts on next.</param>
public sealed record VectorEnvironmentState(EnvironmentState[] Copies, float[] Observations);
