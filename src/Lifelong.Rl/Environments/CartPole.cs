namespace Lifelong.Rl.Environments;

/// <summary>CartPole-v1: keep a pole upright on a cart by pushing the cart left or right (Barto, Sutton &amp; Anderson 1983),
/// with Gymnasium's constants, equations, termination and time limit.</summary>
/// <remarks>
/// <para>Source: Gymnasium <c>gymnasium/envs/classic_control/cartpole.py</c> (Farama-Foundation/Gymnasium at
/// 3f0476a, 2026-08-19): constants lines 124–136, equations lines 170–189 (the "euler" integrator, the default),
/// termination lines 198–203, reward lines 205–211, reset line 242; the 500-step limit is the <c>CartPole-v1</c>
/// registration in <c>gymnasium/envs/__init__.py</c> line 30.</para>
/// <para>With θ the pole angle, F = ±force_mag, m = masspole, M = masscart + masspole, l = half length:
/// temp = (F + m·l·θ̇²·sin θ)/M; θ̈ = (g·sin θ − cos θ·temp)/(l·(4/3 − m·cos²θ/M)); ẍ = temp − m·l·θ̈·cos θ/M;
/// then explicit Euler with τ = 0.02: x += τẋ, ẋ += τẍ, θ += τθ̇, θ̇ += τθ̈ (each update uses the old values).
/// Terminated when |x| &gt; 2.4 or |θ| &gt; 12·2π/360; reward +1 on every step, the terminating one included.
/// The state is float64 (as Gymnasium's); observations are that state rounded to float32.</para>
/// <para>State values (<see cref="EnvironmentState.Values"/>): x, ẋ, θ, θ̇. Parameters: <c>gravity</c>,
/// <c>masscart</c>, <c>masspole</c>, <c>length</c> (half the pole's length), <c>force_mag</c>.
/// Actions: 0 pushes left, 1 pushes right.</para>
/// </remarks>
public sealed class CartPole : EpisodicEnvironment
{
    /// <summary>The registry name.</summary>
    public const string EnvironmentName = "cartpole";

    /// <summary>Half-width of the track: |x| beyond it terminates.</summary>
    public const double XThreshold = 2.4;

    /// <summary>12 degrees in radians: |θ| beyond it terminates.</summary>
    public const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    /// <summary>Seconds between state updates.</summary>
    public const double Tau = 0.02;

    private double _x, _xDot, _theta, _thetaDot;

    /// <summary>A CartPole with Gymnasium's constants.</summary>
    /// <param name="maxEpisodeSteps">The time limit; 500 as CartPole-v1 (the continual-CartPole protocol cuts at 400).</param>
    public CartPole(int maxEpisodeSteps = 500) : base(maxEpisodeSteps)
    {
        AddParameter("gravity", () => Gravity, v => Gravity = v);
        AddParameter("masscart", () => MassCart, v => MassCart = v);
        AddParameter("masspole", () => MassPole, v => MassPole = v);
        AddParameter("length", () => Length, v => Length = v);
        AddParameter("force_mag", () => ForceMagnitude, v => ForceMagnitude = v);
    }

    /// <summary>Gravitational acceleration g, 9.8.</summary>
    public double Gravity { get; set; } = 9.8;

    /// <summary>Cart mass, 1.0.</summary>
    public double MassCart { get; set; } = 1.0;

    /// <summary>Pole mass m, 0.1.</summary>
    public double MassPole { get; set; } = 0.1;

    /// <summary>Half the pole's length l, 0.5.</summary>
    public double Length { get; set; } = 0.5;

    /// <summary>Magnitude of the push F, 10.0.</summary>
    public double ForceMagnitude { get; set; } = 10.0;

    /// <inheritdoc/>
    public override string Name => EnvironmentName;

    /// <inheritdoc/>
    public override int ObservationSize => 4;

    /// <inheritdoc/>
    public override int ActionCount => 2;

    /// <inheritdoc/>
    protected override int StateSize => 4;

    /// <inheritdoc/>
    protected override void ResetState(Rng rng)
    {
        // Gymnasium draws U(−0.05, 0.05) for each of the four values, in this order.
        _x = Uniform(rng);
        _xDot = Uniform(rng);
        _theta = Uniform(rng);
        _thetaDot = Uniform(rng);
        static double Uniform(Rng rng) => -0.05 + 0.1 * rng.NextDouble();
    }

    /// <inheritdoc/>
    protected override (double Reward, bool Terminated) Advance(int action)
    {
        double force = action == 1 ? ForceMagnitude : -ForceMagnitude;
        double cosTheta = Math.Cos(_theta), sinTheta = Math.Sin(_theta);
        double totalMass = MassPole + MassCart;
        double poleMassLength = MassPole * Length;
        // Written in Gymnasium's order of operations so the float64 results agree with it to the last bit where the
        // libm's sin and cos agree.
        double temp = (force + poleMassLength * (_thetaDot * _thetaDot) * sinTheta) / totalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp) / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / totalMass));
        double xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass;

        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;

        bool terminated = _x < -XThreshold || _x > XThreshold || _theta < -ThetaThresholdRadians || _theta > ThetaThresholdRadians;
        return (1.0, terminated);
    }

    /// <inheritdoc/>
    protected override void Observe(Span<float> observation)
    {
        observation[0] = (float)_x;
        observation[1] = (float)_xDot;
        observation[2] = (float)_theta;
        observation[3] = (float)_thetaDot;
    }

    /// <inheritdoc/>
    protected override void GetValues(Span<double> values) => (values[0], values[1], values[2], values[3]) = (_x, _xDot, _theta, _thetaDot);

    /// <inheritdoc/>
    protected override void SetValues(ReadOnlySpan<double> values) => (_x, _xDot, _theta, _thetaDot) = (values[0], values[1], values[2], values[3]);
}
