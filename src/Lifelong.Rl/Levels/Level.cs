namespace Lifelong.Rl.Levels;

/// <summary>One world of a non-stationary task: the parameter values it sets and the offset it adds to observations.</summary>
/// <param name="Parameters">Parameter name → value (<see cref="Environments.EpisodicEnvironment.SetParameter"/>); every
/// parameter not named keeps the environment's default, so a level is the same world whenever it comes back.</param>
/// <param name="ObservationOffset">Added to every observation (from reset and from step), or null for none; length = the
/// environment's observation size.</param>
public sealed record Level(IReadOnlyDictionary<string, double> Parameters, IReadOnlyList<double>? ObservationOffset = null)
{
    /// <summary>The unchanged world: defaults, no offset.</summary>
    public static Level Default { get; } = new(new Dictionary<string, double>());

    /// <summary>A level that changes parameters only.</summary>
    public static Level WithParameters(params (string Name, double Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>A level that shifts observations only.</summary>
    public static Level WithOffset(IReadOnlyList<double> offset) => new(new Dictionary<string, double>(), offset.ToArray());
}
