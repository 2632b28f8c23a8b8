namespace Lifelong.Rl.Environments;

/// <summary>Acrobot-v1: swing a two-link pendulum, actuated only at the elbow, until its tip rises one link length above
/// the pivot (Sutton 1996), with Gymnasium's "book" dynamics, RK4 integration, termination and time limit.</summary>
/// <remarks>
/// <para>Source: Gymnasium <c>gymnasium/envs/classic_control/acrobot.py</c> (Farama-Foundation/Gymnasium at 3f0476a):
/// constants lines 147–160, reset lines 185–196 (note the cast of the initial state to float32, which this class
/// repeats), step lines 202–230 (RK4 over [0, dt], angles wrapped to [−π, π], velocities clipped to ±4π and ±9π),
/// observation lines 232–237, termination line 242, the equations of motion lines 244–279 (the "book" branch,
/// lines 273–277), <c>rk4</c> lines 415–461; the 500-step limit is the <c>Acrobot-v1</c> registration.</para>
/// <para>θ₁ is the angle of the first link from straight down, θ₂ that of the second link relative to the first.
/// With m = 1, l₁ = 1, l_c = 0.5, I = 1, g = 9.8 and torque τ ∈ {−1, 0, +1}:
/// d₁ = m l_c² + m(l₁² + l_c² + 2 l₁ l_c cos θ₂) + 2I; d₂ = m(l_c² + l₁ l_c cos θ₂) + I;
/// φ₂ = m l_c g cos(θ₁ + θ₂ − π/2); φ₁ = −m l₁ l_c θ̇₂² sin θ₂ − 2 m l₁ l_c θ̇₂ θ̇₁ sin θ₂ + (m l_c + m l₁) g cos(θ₁ − π/2) + φ₂;
/// θ̈₂ = (τ + d₂/d₁ φ₁ − m l₁ l_c θ̇₁² sin θ₂ − φ₂)/(m l_c² + I − d₂²/d₁); θ̈₁ = −(d₂ θ̈₂ + φ₁)/d₁.
/// Terminated when −cos θ₁ − cos(θ₁ + θ₂) &gt; 1; the reward is −1 on every step that does not terminate and 0 on the
/// one that does. Observation: cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂ (float32).</para>
/// <para>State values: θ₁, θ₂, θ̇₁, θ̇₂. Parameter: <c>gravity</c>. Actions: 0, 1, 2 apply torque −1, 0, +1.</para>
/// </remarks>
public sealed class Acrobot : EpisodicEnvironment
{
    /// <summary>The registry name.</summary>
    public const string EnvironmentName = "acrobot";

    /// <summary>Seconds per step, integrated by one RK4 step.</summary>
    public const double Dt = 0.2;

    /// <summary>Link lengths l₁ = l₂ (m).</summary>
    public const double LinkLength = 1.0;

    /// <summary>Link masses m₁ = m₂ (kg).</summary>
    public const double LinkMass = 1.0;

    /// <summary>Distance from each joint to its link's centre of mass, l_c (m).</summary>
    public const double LinkCenterOfMass = 0.5;

    /// <summary>Moment of inertia of each link about its centre of mass.</summary>
    public const double LinkMomentOfInertia = 1.0;

    /// <summary>Bound on |θ̇₁|.</summary>
    public const double MaxVelocity1 = 4 * Math.PI;

    /// <summary>Bound on |θ̇₂|.</summary>
    public const double MaxVelocity2 = 9 * Math.PI;

    private readonly double[] _state = new double[4];

    /// <summary>An Acrobot with Gymnasium's constants.</summary>
    /// <param name="maxEpisodeSteps">The time limit; 500 as Acrobot-v1.</param>
    public Acrobot(int maxEpisodeSteps = 500) : base(maxEpisodeSteps) => AddParameter("gravity", () => Gravity, v => Gravity = v);

    /// <summary>Gravitational acceleration g, 9.8.</summary>
    public double Gravity { get; set; } = 9.8;

    /// <inheritdoc/>
    public override string Name => EnvironmentName;

    /// <inheritdoc/>
    public override int ObservationSize => 6;

    /// <inheritdoc/>
    public override int ActionCount => 3;

    /// <inheritdoc/>
    protected override int StateSize => 4;

    /// <summary>Total mechanical energy of a state (θ₁, θ₂, θ̇₁, θ̇₂): kinetic energy of both links (centre-of-mass
    /// motion plus rotation) plus potential energy, zero height at the pivot.</summary>
    /// <remarks>
    /// Centre of link 1 at l_c(sin θ₁, −cos θ₁); centre of link 2 at l₁(sin θ₁, −cos θ₁) + l_c(sin(θ₁+θ₂), −cos(θ₁+θ₂)).
    /// T = ½ m l_c² θ̇₁² + ½ I θ̇₁² + ½ m (l₁² θ̇₁² + l_c² (θ̇₁+θ̇₂)² + 2 l₁ l_c θ̇₁ (θ̇₁+θ̇₂) cos θ₂) + ½ I (θ̇₁+θ̇₂)²;
    /// V = −m g l_c cos θ₁ − m g (l₁ cos θ₁ + l_c cos(θ₁+θ₂)). The book dynamics conserve T + V when τ = 0 (the NIPS
    /// variant, which drops the θ̇₁² sin θ₂ term, does not).
    /// </remarks>
    public double Energy(ReadOnlySpan<double> state)
    {
        const double m = LinkMass, l1 = LinkLength, lc = LinkCenterOfMass, inertia = LinkMomentOfInertia;
        double theta1 = state[0], theta2 = state[1], omega1 = state[2], omega2 = state[3];
        double omega12 = omega1 + omega2;
        double kinetic = 0.5 * m * lc * lc * omega1 * omega1 + 0.5 * inertia * omega1 * omega1
            + 0.5 * m * (l1 * l1 * omega1 * omega1 + lc * lc * omega12 * omega12 + 2 * l1 * lc * omega1 * omega12 * Math.Cos(theta2))
            + 0.5 * inertia * omega12 * omega12;
        double potential = -m * Gravity * lc * Math.Cos(theta1) - m * Gravity * (l1 * Math.Cos(theta1) + lc * Math.Cos(theta1 + theta2));
        return kinetic + potential;
    }

    /// <inheritdoc/>
    protected override void ResetState(Rng rng)
    {
        // Gymnasium draws U(−0.1, 0.1)⁴ in float64 and then stores it as float32.
        for (int i = 0; i < 4; i++) _state[i] = (float)(-0.1 + 0.2 * rng.NextDouble());
    }

    /// <inheritdoc/>
    protected override (double Reward, bool Terminated) Advance(int action)
    {
        double torque = action - 1.0;
        Span<double> k1 = stackalloc double[4], k2 = stackalloc double[4], k3 = stackalloc double[4], k4 = stackalloc double[4];
        Span<double> y = stackalloc double[4];
        const double half = Dt / 2.0;
        Derivatives(_state, torque, k1);
        for (int i = 0; i < 4; i++) y[i] = _state[i] + half * k1[i];
        Derivatives(y, torque, k2);
        for (int i = 0; i < 4; i++) y[i] = _state[i] + half * k2[i];
        Derivatives(y, torque, k3);
        for (int i = 0; i < 4; i++) y[i] = _state[i] + Dt * k3[i];
        Derivatives(y, torque, k4);
        for (int i = 0; i < 4; i++) _state[i] += Dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);

        _state[0] = Wrap(_state[0]);
        _state[1] = Wrap(_state[1]);
        _state[2] = Math.Clamp(_state[2], -MaxVelocity1, MaxVelocity1);
        _state[3] = Math.Clamp(_state[3], -MaxVelocity2, MaxVelocity2);

        bool terminated = -Math.Cos(_state[0]) - Math.Cos(_state[1] + _state[0]) > 1.0;
        return (terminated ? 0.0 : -1.0, terminated);
    }

    /// <inheritdoc/>
    protected override void Observe(Span<float> observation)
    {
        observation[0] = (float)Math.Cos(_state[0]);
        observation[1] = (float)Math.Sin(_state[0]);
        observation[2] = (float)Math.Cos(_state[1]);
        observation[3] = (float)Math.Sin(_state[1]);
        observation[4] = (float)_state[2];
        observation[5] = (float)_state[3];
    }

    /// <inheritdoc/>
    protected override void GetValues(Span<double> values) => _state.CopyTo(values);

    /// <inheritdoc/>
    protected override void SetValues(ReadOnlySpan<double> values) => values.CopyTo(_state);

    private void Derivatives(ReadOnlySpan<double> s, double torque, Span<double> ds)
    {
        const double m1 = LinkMass, m2 = LinkMass, l1 = LinkLength, lc1 = LinkCenterOfMass, lc2 = LinkCenterOfMass;
        const double i1 = LinkMomentOfInertia, i2 = LinkMomentOfInertia;
        double g = Gravity;
        double theta1 = s[0], theta2 = s[1], dtheta1 = s[2], dtheta2 = s[3];
        double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.Cos(theta2)) + i1 + i2;
        double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.Cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * Math.Sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * Math.Cos(theta1 - Math.PI / 2)
            + phi2;
        double ddtheta2 = (torque + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * Math.Sin(theta2) - phi2) / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        (ds[0], ds[1], ds[2], ds[3]) = (dtheta1, dtheta2, ddtheta1, ddtheta2);
    }

    // Gymnasium's wrap(x, −π, π): shifts by whole turns, leaving x alone when it is already inside.
    private static double Wrap(double x)
    {
        const double diff = 2 * Math.PI;
        while (x > Math.PI) x -= diff;
        while (x < -Math.PI) x += diff;
        return x;
    }
}
