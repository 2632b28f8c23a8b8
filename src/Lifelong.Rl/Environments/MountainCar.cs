namespace Lifelong.Rl.Environments;

/// <summary>MountainCar-v0: drive an underpowered car out of a valley, which it can only do by first swinging back
/// (Moore 1990), with Gymnasium's constants, update, termination and time limit.</summary>
/// <remarks>
/// <para>Source: Gymnasium <c>gymnasium/envs/classic_control/mountain_car.py</c> (Farama-Foundation/Gymnasium at
/// 3f0476a): constants lines 109–116, step lines 137–150, reset lines 165–166; the 200-step limit is the
/// <c>MountainCar-v0</c> registration in <c>gymnasium/envs/__init__.py</c> line 37.</para>
/// <para>v ← clip(v + (a − 1)·force − g·cos(3p), −0.07, 0.07); p ← clip(p + v, −1.2, 0.6); at the left wall
/// (p = −1.2) a negative velocity becomes 0. Terminated when p ≥ 0.5 (the goal velocity is 0); reward −1 on every
/// step. Reset: p ~ U(−0.6, −0.4), v = 0. The state is float64, observations float32.</para>
/// <para>Friction is this toolkit's addition, for levels that change how the car rolls (Gymnasium has none): with
/// friction μ the velocity update becomes v ← clip(v·(1 − μ) + (a − 1)·force − g·cos(3p), ...). At μ = 0, the default,
/// v·1 = v exactly, so the update is Gymnasium's bit for bit.</para>
/// <para>State values: p, v. Parameters: <c>force</c>, <c>gravity</c>, <c>friction</c>. Actions: 0 pushes left,
/// 1 does not push, 2 pushes right.</para>
/// </remarks>
public sealed class MountainCar : EpisodicEnvironment
{
    /// <summary>The registry name.</summary>
    public const string EnvironmentName = "mountaincar";

    /// <summary>Left end of the track.</summary>
    public const double MinPosition = -1.2;

    /// <summary>Right end of the track.</summary>
    public const double MaxPosition = 0.6;

    /// <summary>Bound on |v|.</summary>
    public const double MaxSpeed = 0.07;

    /// <summary>Reaching p ≥ this position terminates the episode.</summary>
    public const double GoalPosition = 0.5;

    private double _position, _velocity;

    /// <summary>A MountainCar with Gymnasium's constants.</summary>
    /// <param name="maxEpisodeSteps">The time limit; 200 as MountainCar-v0.</param>
    public MountainCar(int maxEpisodeSteps = 200) : base(maxEpisodeSteps)
    {
        AddParameter("force", () => Force, v => Force = v);
        AddParameter("gravity", () => Gravity, v => Gravity = v);
        AddParameter("friction", () => Friction, v => Friction = v);
    }

    /// <summary>Engine force per step, 0.001.</summary>
    public double Force { get; set; } = 0.001;

    /// <summary>Gravity per step, 0.0025.</summary>
    public double Gravity { get; set; } = 0.0025;

    /// <summary>Fraction μ of the velocity lost per step; 0 as Gymnasium (this toolkit's addition).</summary>
    public double Friction { get; set; }

    /// <inheritdoc/>
    public override string Name => EnvironmentName;

    /// <inheritdoc/>
    public override int ObservationSize => 2;

    /// <inheritdoc/>
    public override int ActionCount => 3;

    /// <inheritdoc/>
    protected override int StateSize => 2;

    /// <inheritdoc/>
    protected override void ResetState(Rng rng)
    {
        _position = -0.6 + 0.2 * rng.NextDouble();
        _velocity = 0;
    }

    /// <inheritdoc/>
    protected override (double Reward, bool Terminated) Advance(int action)
    {
        // Gymnasium's `velocity += (action - 1) * force + cos(3 * position) * (-gravity)`: the sum is formed first.
        double velocity = _velocity * (1 - Friction) + ((action - 1) * Force + Math.Cos(3 * _position) * -Gravity);
        velocity = Math.Clamp(velocity, -MaxSpeed, MaxSpeed);
        double position = Math.Clamp(_position + velocity, MinPosition, MaxPosition);
        if (position == MinPosition && velocity < 0) velocity = 0;
        (_position, _velocity) = (position, velocity);
        return (-1.0, position >= GoalPosition && velocity >= 0);
    }

    /// <inheritdoc/>
    protected override void Observe(Span<float> observation)
    {
        observation[0] = (float)_position;
        observation[1] = (float)_velocity;
    }

    /// <inheritdoc/>
    protected override void GetValues(Span<double> values) => (values[0], values[1]) = (_position, _velocity);

    /// <inheritdoc/>
    protected override void SetValues(ReadOnlySpan<double> values) => (_position, _velocity) = (values[0], values[1]);
}
