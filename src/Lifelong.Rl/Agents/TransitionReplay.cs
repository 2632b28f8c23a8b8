using System.Text.Json.Nodes;
using Lifelong.Training;

namespace Lifelong.Rl.Agents;

/// <summary>A circular buffer of transitions (s, a, r, s′, terminated), sampled uniformly with replacement (Stable-Baselines3's
/// <c>ReplayBuffer</c>, which CleanRL uses).</summary>
public sealed class TransitionReplay
{
    private readonly float[] _observations;
    private readonly float[] _next;
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private readonly bool[] _terminated;
    private int _position;

    /// <summary>An empty buffer of <paramref name="capacity"/> transitions of observations of <paramref name="observationSize"/>.</summary>
    public TransitionReplay(int capacity, int observationSize)
    {
        (Capacity, ObservationSize) = (capacity, observationSize);
        _observations = new float[capacity * observationSize];
        _next = new float[capacity * observationSize];
        _actions = new int[capacity];
        _rewards = new float[capacity];
        _terminated = new bool[capacity];
    }

    /// <summary>Transitions it can hold; the oldest is overwritten beyond.</summary>
    public int Capacity { get; }

    /// <summary>Values per observation.</summary>
    public int ObservationSize { get; }

    /// <summary>Transitions held.</summary>
    public int Count { get; private set; }

    /// <summary>Stores one transition.</summary>
    public void Add(ReadOnlySpan<float> observation, int action, float reward, ReadOnlySpan<float> next, bool terminated)
    {
        observation.CopyTo(_observations.AsSpan(_position * ObservationSize, ObservationSize));
        next.CopyTo(_next.AsSpan(_position * ObservationSize, ObservationSize));
        (_actions[_position], _rewards[_position], _terminated[_position]) = (action, reward, terminated);
        _position = (_position + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary><paramref name="count"/> transitions drawn uniformly with replacement.</summary>
    public (float[] Observations, int[] Actions, float[] Rewards, float[] Next, bool[] Terminated) Sample(int count, Rng rng)
    {
        if (Count == 0) throw new InvalidOperationException("TransitionReplay: sampling from an empty buffer.");
        var (observations, next) = (new float[count * ObservationSize], new float[count * ObservationSize]);
        var (actions, rewards, terminated) = (new int[count], new float[count], new bool[count]);
        for (int i = 0; i < count; i++)
        {
            int j = rng.NextInt(Count);
            _observations.AsSpan(j * ObservationSize, ObservationSize).CopyTo(observations.AsSpan(i * ObservationSize));
            _next.AsSpan(j * ObservationSize, ObservationSize).CopyTo(next.AsSpan(i * ObservationSize));
            (actions[i], rewards[i], terminated[i]) = (_actions[j], _rewards[j], _terminated[j]);
        }
        return (observations, actions, rewards, next, terminated);
    }

    /// <summary>Writes the buffer into <paramref name="state"/> under <paramref name="prefix"/>.</summary>
    public void Save(MethodState state, string prefix)
    {
        state.Tensors[$"{prefix}.observations"] = Tensor.FromArray((float[])_observations.Clone(), Capacity, ObservationSize);
        state.Tensors[$"{prefix}.next"] = Tensor.FromArray((float[])_next.Clone(), Capacity, ObservationSize);
        state.Tensors[$"{prefix}.rewards"] = Tensor.FromArray((float[])_rewards.Clone(), Capacity);
        state.Tensors[$"{prefix}.actions"] = Tensor.FromArray([.. _actions.Select(a => (float)a)], Capacity);
        state.Tensors[$"{prefix}.terminated"] = Tensor.FromArray([.. _terminated.Select(t => t ? 1f : 0f)], Capacity);
        state.Values[prefix] = new JsonObject { ["position"] = _position, ["count"] = Count };
    }

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    public void Load(MethodState state, string prefix)
    {
        state.Tensors[$"{prefix}.observations"].Span.CopyTo(_observations);
        state.Tensors[$"{prefix}.next"].Span.CopyTo(_next);
        state.Tensors[$"{prefix}.rewards"].Span.CopyTo(_rewards);
        var actions = state.Tensors[$"{prefix}.actions"].Span;
        var terminated = state.Tensors[$"{prefix}.terminated"].Span;
        for (int i = 0; i < Capacity; i++) (_actions[i], _terminated[i]) = ((int)actions[i], terminated[i] != 0);
        var values = state.Values[prefix]!.AsObject();
        (_position, Count) = (values["position"]!.GetValue<int>(), values["count"]!.GetValue<int>());
    }
}
