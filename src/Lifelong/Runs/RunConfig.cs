using System.Text.Json;
using Lifelong.Catalog;
using Lifelong.Evaluation;
using Lifelong.Results;

namespace Lifelong.Runs;

/// <summary>Everything that defines a run; <c>config.json</c> holds it fully resolved (every option spelled out), enough to rerun.</summary>
/// <remarks>Components are specs in the command line's syntax, <c>name:key=value,...</c>; see <see cref="ComponentSpec"/>.</remarks>
public sealed record RunConfig
{
    /// <summary>The most tasks a stream may have (<c>--tasks</c> and every scenario's <c>tasks</c> option): every task adds a row
    /// and a column to the accuracy matrix and its evaluation, so 10,000 tasks already mean 10⁸ evaluations of a test set.</summary>
    public const int MaxTasks = 10_000;

    /// <summary>The task stream, e.g. <c>permuted-mnist:tasks=5</c>.</summary>
    public string Scenario { get; init; } = "permuted-mnist";

    /// <summary>Overrides the scenario's number of tasks.</summary>
    [Positive(Max = MaxTasks)]
    public int? Tasks { get; init; }

    /// <summary>Overrides the scenario's steps per task.</summary>
    [Positive]
    public int? Steps { get; init; }

    /// <summary>Overrides the scenario's batch size.</summary>
    [Positive(Max = 100_000)]
    public int? BatchSize { get; init; }

    /// <summary>The network, e.g. <c>mlp:100,100</c>.</summary>
    public string Model { get; init; } = "mlp";

    /// <summary>The methods, composed in order; each entry may itself compose with '+'.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["finetune"];

    /// <summary>The optimizer, e.g. <c>adam:lr=1e-3</c>.</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>The root seed: data order, init, every method's randomness.</summary>
    public ulong Seed { get; init; }

    /// <summary>Pixel range fed to the model: <c>unit</c> ([0, 1]) or <c>symmetric</c> ([−1, 1], as the L2 Init code).</summary>
    public string Normalization { get; init; } = "unit";

    /// <summary>A full accuracy-matrix row every this many tasks.</summary>
    [Positive]
    public int EvalEvery { get; init; } = 1;

    /// <summary>Test images per task used for evaluation; all when absent.</summary>
    [Positive]
    public int? EvalSubset { get; init; }

    /// <summary>Probe data: <c>next-task</c>, <c>current-task</c> or <c>none</c>.</summary>
    public string Probe { get; init; } = "next-task";

    /// <summary>Probe inputs.</summary>
    [Positive]
    public int ProbeSize { get; init; } = 1_000;

    /// <summary>τ of the dormant-unit fraction.</summary>
    [NonNegative]
    public double DormantThreshold { get; init; } = 0.025;

    /// <summary>Also measure the one-vs-rest AUROC on every evaluated task (the <c>auroc_matrix</c> of the result).</summary>
    public bool Auroc { get; init; }

    /// <summary>A metrics line every this many steps.</summary>
    [NonNegative]
    public int LogEvery { get; init; } = 50;

    /// <summary>Also checkpoint every this many steps inside a task (0: task boundaries only).</summary>
    [NonNegative]
    public int CheckpointEvery { get; init; }

    /// <summary>Also write a TensorBoard event file in the run directory (<c>tensorboard --logdir runs/</c>).</summary>
    public bool Tensorboard { get; init; } = true;

    /// <summary>The run directory; <c>runs/&lt;scenario&gt;-&lt;methods&gt;-s&lt;seed&gt;-&lt;timestamp&gt;</c> when absent.</summary>
    public string? Out { get; init; }

    /// <summary>Assemblies of the user's own methods, scenarios or models (<see cref="Catalog.Plugins"/>), as full paths.</summary>
    public IReadOnlyList<string> Plugins { get; init; } = [];

    /// <summary>The evaluation options this config asks for.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public EvaluationOptions Evaluation => new(EvalEvery, EvalSubset, ParseProbe(Probe), ProbeSize, DormantThreshold, Auroc: Auroc);

    /// <summary>The trainer options this config asks for.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainerOptions Trainer => new(LogEvery, CheckpointEvery, TensorBoard: Tensorboard);

    /// <summary>The JSON text of the config alone: the settings that define the run.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, RunResult.JsonOptions);

    /// <summary>The JSON text of <c>config.json</c>: the settings, then a <c>provenance</c> object that describes the run
    /// without defining it (<see cref="FromJson"/> skips it).</summary>
    public string ToJson(RunProvenance provenance)
    {
        var json = JsonSerializer.SerializeToNode(this, RunResult.JsonOptions)!.AsObject();
        json[ProvenanceKey] = JsonSerializer.SerializeToNode(provenance, RunResult.JsonOptions);
        return json.ToJsonString(RunResult.JsonOptions);
    }

    /// <summary>The key of <c>config.json</c>'s provenance object.</summary>
    public const string ProvenanceKey = "provenance";

    /// <summary>Reads a <c>config.json</c> (snake_case keys); its <c>provenance</c> object, if any, is not part of the config.</summary>
    /// <exception cref="ConfigurationException">Not valid JSON or not a run config.</exception>
    public static RunConfig FromJson(string json, string source)
    {
        try
        {
            var options = new JsonSerializerOptions(RunResult.JsonOptions) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
            var node = System.Text.Json.Nodes.JsonNode.Parse(json);
            if (node is System.Text.Json.Nodes.JsonObject settings) settings.Remove(ProvenanceKey);
            return node.Deserialize<RunConfig>(options) ?? throw new ConfigurationException($"{source}: holds null, not a run config.");
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{source}: not a valid run config ({e.Message}). Keys: {string.Join(", ", Keys)}.", e);
        }
    }

    /// <summary>The settable keys, snake_case, as in config files.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. typeof(RunConfig).GetProperties().Where(p => p.CanWrite).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];

    /// <summary>Checks every setting against its declared range (<see cref="OptionRules"/>); a config read from a file passes
    /// here before it is used, as one built from flags does in <see cref="With"/>.</summary>
    /// <exception cref="ConfigurationException">The first setting outside its range, named with its value and the valid range.</exception>
    public void Validate()
    {
        foreach (var property in typeof(RunConfig).GetProperties().Where(p => p.CanWrite))
            OptionRules.Check(property, property.PropertyType, property.GetValue(this), $"setting '{JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)}'");
        if (Methods.Count == 0) throw new ConfigurationException("setting 'methods' is empty; use --method finetune for plain training.");
        if (Out is { } path && (path.Trim().Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
            throw new ConfigurationException($"setting 'out' = '{path}' is not a usable directory path.");
    }

    /// <summary>A config with <paramref name="values"/> (key → one or more values, keys in snake, kebab or Pascal case) applied on top of this one.</summary>
    /// <exception cref="ConfigurationException">An unknown key, a value of the wrong type or outside the setting's range.</exception>
    public RunConfig With(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> values)
    {
        var config = this;
        foreach (var (rawKey, list) in values)
        {
            string key = rawKey.Replace("-", "_", StringComparison.Ordinal);
            key = Keys.FirstOrDefault(k => k.Replace("_", "", StringComparison.Ordinal) == key.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant())
                ?? throw new ConfigurationException($"unknown setting '{rawKey}'.{Spelling.Suggest(rawKey, Keys)} Valid settings: {string.Join(", ", Keys)}.");
            string single = list.Count == 1 ? list[0] : key is "methods" or "plugins" ? "" : throw new ConfigurationException($"setting '{key}' takes one value, got {list.Count}.");
            T Parse<T>() => (T)OptionBinder.Convert(single, typeof(T), $"setting '{key}'")!;
            config = key switch
            {
                "scenario" => config with { Scenario = single },
                "tasks" => config with { Tasks = Parse<int?>() },
                "steps" => config with { Steps = Parse<int?>() },
                "batch_size" => config with { BatchSize = Parse<int?>() },
                "model" => config with { Model = single },
                "methods" => config with { Methods = [.. list] },
                "optimizer" => config with { Optimizer = single },
                "seed" => config with { Seed = Parse<ulong>() },
                "normalization" => config with { Normalization = single },
                "eval_every" => config with { EvalEvery = Parse<int>() },
                "eval_subset" => config with { EvalSubset = Parse<int?>() },
                "probe" => config with { Probe = single },
                "probe_size" => config with { ProbeSize = Parse<int>() },
                "dormant_threshold" => config with { DormantThreshold = Parse<double>() },
                "auroc" => config with { Auroc = Parse<bool>() },
                "log_every" => config with { LogEvery = Parse<int>() },
                "checkpoint_every" => config with { CheckpointEvery = Parse<int>() },
                "tensorboard" => config with { Tensorboard = Parse<bool>() },
                "out" => config with { Out = single },
                "plugins" => config with { Plugins = [.. config.Plugins, .. list.Select(Path.GetFullPath).Where(p => !config.Plugins.Contains(p))] },
                _ => throw new InvalidOperationException($"RunConfig.With does not handle '{key}'."),
            };
        }
        config.Validate();
        return config;
    }

    /// <summary>The probe data named <paramref name="text"/>.</summary>
    public static ProbeData ParseProbe(string text) => (ProbeData)(OptionBinder.Convert(text, typeof(ProbeData), "setting 'probe'") ?? ProbeData.NextTask);

    /// <summary>The normalisation named <paramref name="text"/>.</summary>
    public static Normalization ParseNormalization(string text) => text.ToLowerInvariant() switch
    {
        "unit" or "[0,1]" => Data.Normalization.UnitInterval,
        "symmetric" or "[-1,1]" => Data.Normalization.Symmetric,
        _ => throw new ConfigurationException($"setting 'normalization': '{text}' is not valid; expected unit ([0, 1]) or symmetric ([−1, 1])."),
    };
}
