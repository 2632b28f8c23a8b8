using System.Globalization;
using Lifelong.Catalog;
using Lifelong.Data;
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
    /// <summary>The code, machine and datasets of this run, written into config.json and result.json beside (never inside) the config.</summary>
    public RunProvenance Provenance { get; init; } = RunProvenance.Capture([]);

    /// <summary>Trains the stream from the start, writing into <paramref name="directory"/> (config.json first).</summary>
    public RunResult Run(RunDirectory? directory = null, ITrainingObserver? observer = null)
    {
        if (directory is not null) RunDirectory.WriteAtomically(directory.ConfigFile, Config.ToJson(Provenance) + "\n");
        return new Trainer(Learner, Evaluator, Config.Trainer with { Config = Config }, directory, observer) { Provenance = Provenance }.Run();
    }

    /// <summary>Continues the interrupted run in <paramref name="directory"/>; one interrupted before its first checkpoint
    /// starts over (it had kept nothing but metrics that the deterministic rerun writes again).</summary>
    public RunResult Resume(RunDirectory directory, ITrainingObserver? observer = null) =>
        File.Exists(directory.CheckpointFile)
            ? new Trainer(Learner, Evaluator, Config.Trainer with { Config = Config }, directory, observer) { Provenance = Provenance }.Resume()
            : Run(directory, observer);
}

/// <summary>Builds runs from configs: resolves every name against the catalogs, binds every option, checks every value.</summary>
public static class RunFactory
{
    /// <summary>Assembles the run <paramref name="config"/> describes, loading data from <paramref name="store"/>.</summary>
    /// <param name="config">The run.</param>
    /// <param name="store">Where its data comes from.</param>
    /// <param name="maxMemory">Bytes the run may need at most (<see cref="MemoryEstimate"/>); what the machine makes available when null.</param>
    /// <exception cref="ConfigurationException">Anything misconfigured, or a run that cannot fit in <paramref name="maxMemory"/>;
    /// the message says what and lists what is valid.</exception>
    public static PreparedRun Build(RunConfig config, DatasetStore store, long? maxMemory = null)
    {
        Plugins.LoadAll(config.Plugins);   // before any name is looked up: a plugin may define the scenario, model or methods
        config.Validate();
        var root = new Rng(config.Seed);
        // Every name and option is checked before any data is read: a typo costs nothing, not a dataset load.
        var (scenarioEntry, scenarioSpec) = ResolveScenario(config);
        OptionBinder.Bind(scenarioEntry.OptionsType, scenarioSpec.Options, $"scenario '{scenarioEntry.Name}'");
        var modelSpec = ComponentSpec.Parse(config.Model, "model");
        var modelEntry = ModelCatalog.Get(modelSpec.Name);
        var modelOptions = modelEntry.BindOptions(modelSpec);
        var optimizerSpec = ComponentSpec.Parse(config.Optimizer, "optimizer");
        var optimizerEntry = OptimizerCatalog.Get(optimizerSpec.Name);
        var optimizerOptions = OptionBinder.Bind(optimizerEntry.OptionsType, optimizerSpec.Options, $"optimizer '{optimizerEntry.Name}'");
        var methodSpecs = config.Methods.SelectMany(MethodCatalog.SplitComposite).Select(m => ComponentSpec.Parse(m, "method")).ToList();
        var methods = methodSpecs.Select(spec => MethodCatalog.Get(spec.Name).Create(spec)).ToList();
        // DEN trains with its own Adam (as the official code does), so any other optimizer would be ignored without a word.
        if (methods.Any(m => m is Methods.Den) && !Equals(optimizerOptions, new AdamOptions()))
            throw new ConfigurationException($"method 'den' trains with its own Adam (as the official code), stepping at den:learning-rate; optimizer '{config.Optimizer}' would be ignored. Drop --optimizer and set den:learning-rate=… instead.");
        RunConfig.ParseNormalization(config.Normalization);
        RunConfig.ParseProbe(config.Probe);

        int loadedBefore = store.Loaded.Count;
        var scenario = scenarioEntry.Create(scenarioSpec, store, config.Seed);
        var provenance = RunProvenance.Capture(store.Loaded.Skip(loadedBefore));
        var firstTask = scenario.GetTask(0);
        var inputShape = firstTask.Train.Shape;
        int outputs = scenario.OutputCount * scenario.HeadCount;
        MemoryEstimate.Of(modelEntry.CountParameters(modelOptions, inputShape, outputs), Math.Max(firstTask.BatchSize, config.Evaluation.BatchSize),
                WidestLayer(modelOptions, inputShape, outputs), scenario.TaskCount)
            .Check($"model '{config.Model}' on {scenarioEntry.Name}", maxMemory);
        var network = modelEntry.Create(modelSpec, inputShape, outputs, root.Split("init"));
        var optimizer = optimizerEntry.Create(optimizerSpec, network.Parameters());

        var evaluation = config.Evaluation;
        var learnerOptions = new LearnerOptions(RunConfig.ParseNormalization(config.Normalization));
        try
        {
            evaluation.Validate();
            config.Trainer.Validate();
            var learner = new Learner(scenario, new ContinualModel(network, scenario.OutputCount, scenario.HeadCount), optimizer, methods, root, modelEntry.FlatInputs, learnerOptions);
            foreach (var method in methods) method.Validate(learner);
            var resolved = Resolve(config) with { Out = config.Out ?? DefaultOut(scenarioEntry.Name, methods, config.Seed) };
            return new PreparedRun(resolved, learner, new Evaluator(evaluation)) { Provenance = provenance };
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException(ConfigurationException.Plain(e), e);
        }
    }

    /// <summary><paramref name="config"/> with every component spelled out with all its options (the scenario's task, step and
    /// batch overrides folded into its spec), without loading data or building anything; <c>Out</c> is kept as given.</summary>
    /// <remarks>Two configs that resolve to the same text describe the same run: sweeps name runs by this.</remarks>
    /// <exception cref="ConfigurationException">An unknown component or option, or a value of the wrong type.</exception>
    public static RunConfig Resolve(RunConfig config)
    {
        Plugins.LoadAll(config.Plugins);   // a plugin may define the scenario, model or methods named below
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

    /// <summary>Floats per input of the network's widest activation (its hidden units, or a feature map), for the estimate.</summary>
    private static long WidestLayer(object options, ImageShape input, int outputs) => Math.Max(input.Size, options switch
    {
        MlpModelOptions mlp => mlp.Widths(input.Size, outputs).Max(w => (long)w) * (mlp.Activation == NN.Activation.CRelu ? 2 : 1),
        CnnModelOptions cnn => (long)cnn.Channels * input.Height * input.Width * (cnn.Activation == NN.Activation.CRelu ? 2 : 1),
        VitModelOptions vit => (long)Math.Ceiling(vit.MlpRatio * vit.Dim) * ((long)input.Height * input.Width / Math.Max(1, (long)(vit.PatchSize ?? input.Height / 4) * (vit.PatchSize ?? input.Height / 4)) + 1),
        _ => 0,
    });

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
