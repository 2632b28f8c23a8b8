using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Evaluation;
using Lifelong.Results;
using Lifelong.Training;

namespace Lifelong.Runs;

/// <summary>A run assembled from a <see cref="RunConfig"/>: the learner and evaluator, and the config with every option resolved.</summary>
/// <param name="Config">The resolved configuration (what <c>config.json</c> holds).</param>
/// <param name="Learner">Model, optimizer and methods on the scenario.</param>
/// <param name="Evaluator">The evaluation it asks for.</param>
public sealed record PreparedRun(RunConfig Config, Learner Learner, Evaluator Evaluator)
{
    /// <summary>Trains the stream from the start, writing into <paramref name="directory"/> (config.json first).</summary>
    public RunResult Run(RunDirectory? directory = null, ITrainingObserver? observer = null)
    {
        if (directory is not null) RunDirectory.WriteAtomically(directory.ConfigFile, Config.ToJson() + "\n");
        return new Trainer(Learner, Evaluator, Config.Trainer, directory, observer).Run();
    }

    /// <summary>Continues the interrupted run in <paramref name="directory"/>; one interrupted before its first checkpoint
    /// starts over (it had kept nothing but metrics that the deterministic rerun writes again).</summary>
    public RunResult Resume(RunDirectory directory, ITrainingObserver? observer = null) =>
        File.Exists(directory.CheckpointFile)
            ? new Trainer(Learner, Evaluator, Config.Trainer, directory, observer).Resume()
            : Run(directory, observer);
}

/// <summary>Builds runs from configs: resolves every name against the catalogs, binds every option, checks every value.</summary>
public static class RunFactory
{
    /// <summary>Assembles the run <paramref name="config"/> describes, loading data from <paramref name="store"/>.</summary>
    /// <exception cref="ConfigurationException">Anything misconfigured; the message says what and lists what is valid.</exception>
    public static PreparedRun Build(RunConfig config, DatasetStore store)
    {
        var root = new Rng(config.Seed);
        var (scenarioEntry, scenarioSpec) = ResolveScenario(config);
        var scenario = scenarioEntry.Create(scenarioSpec, store, config.Seed);

        var modelSpec = ComponentSpec.Parse(config.Model, "model");
        var modelEntry = ModelCatalog.Get(modelSpec.Name);
        var inputShape = scenario.GetTask(0).Train.Shape;
        var network = modelEntry.Create(modelSpec, inputShape, scenario.OutputCount * scenario.HeadCount, root.Split("init"));

        var optimizerSpec = ComponentSpec.Parse(config.Optimizer, "optimizer");
        var optimizerEntry = OptimizerCatalog.Get(optimizerSpec.Name);
        var optimizer = optimizerEntry.Create(optimizerSpec, network.Parameters());

        if (config.Methods.Count == 0) throw new ConfigurationException("no method given; use --method finetune for plain training.");
        var methodSpecs = config.Methods.SelectMany(MethodCatalog.SplitComposite).Select(m => ComponentSpec.Parse(m, "method")).ToList();
        var methods = methodSpecs.Select(spec => MethodCatalog.Get(spec.Name).Create(spec)).ToList();

        var evaluation = config.Evaluation;
        var learnerOptions = new LearnerOptions(RunConfig.ParseNormalization(config.Normalization));
        try
        {
            evaluation.Validate();
            config.Trainer.Validate();
            var learner = new Learner(scenario, new ContinualModel(network, scenario.OutputCount, scenario.HeadCount), optimizer, methods, root, modelEntry.FlatInputs, learnerOptions);
            foreach (var method in methods) method.Validate(learner);
            var resolved = Resolve(config) with { Out = config.Out ?? DefaultOut(scenarioEntry.Name, methods, config.Seed) };
            return new PreparedRun(resolved, learner, new Evaluator(evaluation));
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(e.Message, e);
        }
    }

    /// <summary><paramref name="config"/> with every component spelled out with all its options (the scenario's task, step and
    /// batch overrides folded into its spec), without loading data or building anything; <c>Out</c> is kept as given.</summary>
    /// <remarks>Two configs that resolve to the same text describe the same run: sweeps name runs by this.</remarks>
    /// <exception cref="ConfigurationException">An unknown component or option, or a value of the wrong type.</exception>
    public static RunConfig Resolve(RunConfig config)
    {
        var (scenarioEntry, scenarioSpec) = ResolveScenario(config);
        var modelSpec = ComponentSpec.Parse(config.Model, "model");
        var optimizerSpec = ComponentSpec.Parse(config.Optimizer, "optimizer");
        var optimizerEntry = OptimizerCatalog.Get(optimizerSpec.Name);
        if (config.Methods.Count == 0) throw new ConfigurationException("no method given; use --method finetune for plain training.");
        var methodSpecs = config.Methods.SelectMany(MethodCatalog.SplitComposite).Select(m => ComponentSpec.Parse(m, "method")).ToList();
        return config with
        {
            Scenario = OptionBinder.Resolve(scenarioEntry.Name, OptionBinder.Bind(scenarioEntry.OptionsType, scenarioSpec.Options, "scenario")),
            Tasks = null,
            Steps = null,
            BatchSize = null,
            Model = ResolvedModel(ModelCatalog.Get(modelSpec.Name), modelSpec),
            Methods = [.. methodSpecs.Select(spec => OptionBinder.Resolve(spec.Name, MethodCatalog.Get(spec.Name).OptionsType is { } t ? OptionBinder.Bind(t, spec.Options, "method") : null))],
            Optimizer = OptionBinder.Resolve(optimizerEntry.Name, OptionBinder.Bind(optimizerEntry.OptionsType, optimizerSpec.Options, "optimizer")),
        };
    }

    /// <summary><c>runs/&lt;scenario&gt;-&lt;methods&gt;-s&lt;seed&gt;-&lt;UTC timestamp&gt;</c>.</summary>
    public static string DefaultOut(string scenario, IEnumerable<ContinualMethod> methods, ulong seed) =>
        Path.Combine("runs", $"{scenario}-{string.Join('+', methods.Select(m => m.Name))}-s{seed}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");

    private static (ScenarioEntry Entry, ComponentSpec Spec) ResolveScenario(RunConfig config)
    {
        var spec = ComponentSpec.Parse(config.Scenario, "scenario");
        var entry = ScenarioCatalog.Get(spec.Name);
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        void Override(string key, int? value)
        {
            if (value is not { } v) return;
            if (!entry.Options.Any(o => o.Name == key))
                throw new ConfigurationException($"scenario '{entry.Name}' has no '{key}' option to set with --{key}; its options: {string.Join(", ", entry.Options.Select(o => o.Name))}.");
            overrides[key] = v.ToString(CultureInfo.InvariantCulture);
        }
        Override("tasks", config.Tasks);
        Override("steps", config.Steps);
        Override("batch-size", config.BatchSize);
        return (entry, spec.With(overrides));
    }

    private static string ResolvedModel(ModelEntry entry, ComponentSpec spec)
    {
        string resolved = OptionBinder.Resolve(entry.Name, BoundModelOptions(entry, spec));
        if (!spec.Options.TryGetValue(ModelEntry.CheckpointOption, out string? checkpoint)) return resolved;
        return resolved + (resolved.Contains(':', StringComparison.Ordinal) ? "," : ":") + $"{ModelEntry.CheckpointOption}={checkpoint}";
    }

    private static object BoundModelOptions(ModelEntry entry, ComponentSpec spec)
    {
        var options = new Dictionary<string, string>(spec.Options, StringComparer.Ordinal);
        options.Remove(ModelEntry.CheckpointOption);
        if (spec.Positional.Count > 0) options["hidden"] = string.Join('x', spec.Positional);
        return OptionBinder.Bind(entry.OptionsType, options, "model");
    }
}
