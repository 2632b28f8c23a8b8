namespace Lifelong.Sweeps;

/// <summary>One varied setting of a sweep: a run-config key (<c>optimizer</c>, <c>method</c>, <c>compare</c>) or a
/// component's option (<c>method.lambda</c>, <c>optimizer.lr</c>), and the values it takes.</summary>
/// <param name="Key">The setting, as written in the sweep file.</param>
/// <param name="Values">Its values, in order.</param>
public sealed record SweepAxis(string Key, IReadOnlyList<string> Values);
