using System.Text.Json;
using System.Text.Json.Serialization;
using Lifelong.Results;

namespace Lifelong.Rl.Experiments;

/// <summary>Everything that defines an RL run, as <c>config.json</c> records it (with <c>"kind": "rl"</c>).</summary>
/// <param name="Kind">Always <see cref="RlKind"/>.</param>
/// <param name="Agent">The agent with every option spelled out (<c>ppo:envs=1,steps-per-env=800,…</c>).</param>
/// <param name="Methods">The methods (<c>l2init:lambda=0.01</c>); empty for the plain agent.</param>
/// <param name="Optimizer">An optimizer replacing the agent's own Adam (<c>sgd:lr=0.01</c> for UPGD); null keeps the agent's.</param>
/// <param name="Seed">The root seed.</param>
/// <param name="Options">The world and the measurements.</param>
/// <param name="Provenance">Where the run was started (code, machine); never part of what defines it.</param>
public sealed record RlConfig(string Kind, string Agent, IReadOnlyList<string> Methods, string? Optimizer, ulong Seed, RlOptions Options,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RunProvenance? Provenance = null)
{
    /// <summary>The kind recorded in config.json and result.json.</summary>
    public const string RlKind = "rl";

    /// <summary>config.json's text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RunResult.JsonOptions);

    /// <summary>The defining part of the config (provenance left out), for the checkpoint to compare on resume.</summary>
    public string Canonical() => JsonSerializer.Serialize(this with { Provenance = null }, RunResult.JsonOptions);

    /// <summary>Reads config.json.</summary>
    /// <exception cref="InvalidDataException">Not an RL run's config.</exception>
    public static RlConfig Load(string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<RlConfig>(File.ReadAllText(path), RunResult.JsonOptions) ?? throw new JsonException("it is null");
            if (config.Kind != RlKind) throw new InvalidDataException($"{path}: a run of kind '{config.Kind}', not '{RlKind}'.");
            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not an RL run's config.json ({e.Message}).", e);
        }
    }
}
