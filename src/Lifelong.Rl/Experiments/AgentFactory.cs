using Lifelong.Catalog;
using Lifelong.Rl.Agents;

namespace Lifelong.Rl.Experiments;

/// <summary>Builds agents from their command-line spec: <c>ppo:preset=cchain,lr=3e-4</c>, <c>dqn</c>.</summary>
public static class AgentFactory
{
    /// <summary>The agents by name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Ppo.AgentName, Dqn.AgentName];

    /// <summary>The spec with its preset applied and every option spelled out, as config.json records it.</summary>
    /// <exception cref="ConfigurationException">Unknown agent, preset or option, or a value out of range.</exception>
    public static string Resolve(string spec)
    {
        var parsed = ComponentSpec.Parse(spec, "agent");
        var options = new Dictionary<string, string>(parsed.Options, StringComparer.Ordinal);
        options.Remove("preset", out string? preset);
        return parsed.Name switch
        {
            Ppo.AgentName => OptionBinder.Resolve(Ppo.AgentName, Bind(PpoOptions.Preset(preset ?? "general"), options, "agent ppo")),
            Dqn.AgentName => OptionBinder.Resolve(Dqn.AgentName, Bind(DqnOptions.Preset(preset ?? "general"), options, "agent dqn")),
            _ => throw new ConfigurationException($"unknown agent '{parsed.Name}'.{Spelling.Suggest(parsed.Name, Names)} Agents: {string.Join(", ", Names)}."),
        };
    }

    /// <summary>The agent of a spec (resolved or not) for <paramref name="observationSize"/> inputs and <paramref name="actionCount"/> actions.</summary>
    public static Agent Create(string spec, int observationSize, int actionCount, Rng rng)
    {
        var parsed = ComponentSpec.Parse(Resolve(spec), "agent");
        return parsed.Name == Ppo.AgentName
            ? new Ppo(observationSize, actionCount, OptionBinder.Bind<PpoOptions>(parsed.Options, "agent ppo"), rng)
            : new Dqn(observationSize, actionCount, OptionBinder.Bind<DqnOptions>(parsed.Options, "agent dqn"), rng);
    }

    private static T Bind<T>(T preset, IReadOnlyDictionary<string, string> overrides, string context) where T : notnull
    {
        var values = OptionBinder.Values(preset).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        OptionBinder.Bind<T>(overrides, context);   // reports unknown keys and bad values against what the user typed
        foreach (var (key, value) in overrides) values[OptionBinder.Kebab(OptionBinder.Parameters(typeof(T)).First(p => Normalized(p.Name!) == Normalized(key)).Name!)] = value;
        return OptionBinder.Bind<T>(values, context);
    }

    private static string Normalized(string name) => name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
