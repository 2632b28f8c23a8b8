using Lifelong.Scenarios;

namespace Lifelong.Catalog;

/// <summary>Options of the split scenarios on the command line: the flavour plus <see cref="ClassSplitOptions"/>.</summary>
/// <param name="Flavour">task-incremental (a head per task, task id at test), domain-incremental (one head of 2), class-incremental (one head of 10).</param>
/// <param name="Steps">Steps per task; 2,000 in van de Ven et al.</param>
/// <param name="BatchSize">Batch size; 128.</param>
/// <param name="TrainPerClass">Training images per class; all when absent.</param>
/// <param name="ShuffleClassOrder">Assign classes to tasks in a seeded random order.</param>
public sealed record SplitScenarioOptions(SplitFlavour Flavour = SplitFlavour.ClassIncremental, [Positive] int Steps = 2_000, [Positive(Max = 100_000)] int BatchSize = 128, [Positive] int? TrainPerClass = null, bool ShuffleClassOrder = false)
{
    /// <summary>The budget part.</summary>
    public ClassSplitOptions Budget => new(Steps, BatchSize, TrainPerClass, ShuffleClassOrder);
}

/// <summary>Options of split CIFAR-100 on the command line: the number of tasks, the flavour and the budget.</summary>
/// <param name="Tasks">Tasks of 100/T consecutive classes (after any shuffle); 10 (the "B0 Inc10" protocol).</param>
/// <param name="Flavour">task-incremental, domain-incremental or class-incremental.</param>
/// <param name="Steps">Steps per task.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="TrainPerClass">Training images per class (500 in CIFAR-100); all when absent.</param>
/// <param name="ShuffleClassOrder">Assign classes to tasks in a seeded random order, as the pretrained-model papers do.</param>
public sealed record SplitCifar100Options([Positive(Max = 100)] int Tasks = 10, SplitFlavour Flavour = SplitFlavour.ClassIncremental, [Positive] int Steps = 2_000, [Positive(Max = 100_000)] int BatchSize = 128, [Positive] int? TrainPerClass = null, bool ShuffleClassOrder = false)
{
    /// <summary>The budget part.</summary>
    public ClassSplitOptions Budget => new(Steps, BatchSize, TrainPerClass, ShuffleClassOrder);
}

/// <summary>A scenario the catalog can build.</summary>
/// <param name="Name">The command-line name.</param>
/// <param name="Description">One line on what it is.</param>
/// <param name="OptionsType">Its options record.</param>
/// <param name="Build">Builds it from the data store, seed and bound options.</param>
public sealed record ScenarioEntry(string Name, string Description, Type OptionsType, Func<DatasetStore, ulong, object, Scenario> Build)
{
    /// <summary>The options with defaults and docs.</summary>
    public IReadOnlyList<OptionInfo> Options => OptionBinder.Describe(OptionsType);

    /// <summary>Binds <paramref name="spec"/>'s options and builds the scenario.</summary>
    public Scenario Create(ComponentSpec spec, DatasetStore store, ulong seed)
    {
        if (spec.Positional.Count > 0) throw new ConfigurationException($"scenario '{Name}': options must be key=value, got '{string.Join(",", spec.Positional)}'.");
        var options = OptionBinder.Bind(OptionsType, spec.Options, $"scenario '{Name}'");
        try
        {
            return Build(store, seed, options);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"scenario '{Name}': {ConfigurationException.Plain(e)}", e);
        }
    }
}

/// <summary>The task streams <c>lifelong run --scenario</c> knows.</summary>
public static class ScenarioCatalog
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<ScenarioEntry> _plugins = [];

    /// <summary>All scenarios: the library's, then those of loaded plugins.</summary>
    public static IReadOnlyList<ScenarioEntry> All => [.. BuiltIn, .. Volatile.Read(ref _plugins)];

    /// <summary>Adds the scenarios that <paramref name="assembly"/> (a plugin) exposes as public static ScenarioEntry properties or fields.</summary>
    /// <exception cref="ConfigurationException">One of them has the name of a scenario already known.</exception>
    public static void Register(System.Reflection.Assembly assembly)
    {
        lock (Gate)
        {
            var added = Plugins.Exposed<ScenarioEntry>(assembly).ToList();
            var taken = added.Select(a => a.Name).FirstOrDefault(name => All.Any(e => e.Name == name) || added.Count(a => a.Name == name) > 1);
            if (taken is not null) throw new ConfigurationException($"plugin {assembly.GetName().Name}: a scenario called '{taken}' already exists; give the plugin's another name.");
            Volatile.Write(ref _plugins, [.. _plugins, .. added]);
        }
    }

    private static IReadOnlyList<ScenarioEntry> BuiltIn { get; } =
    [
        new(PermutedMnist.ScenarioName, "MNIST with a fixed random pixel permutation per task (L2 Init, EWC, GEM)", typeof(PermutedMnistOptions),
            (store, seed, o) => new PermutedMnist(store.Load("mnist"), seed, (PermutedMnistOptions)o)),
        new(RotatedMnist.ScenarioName, "MNIST rotated by a random angle per task (GEM)", typeof(RotatedMnistOptions),
            (store, seed, o) => new RotatedMnist(store.Load("mnist"), seed, (RotatedMnistOptions)o)),
        new(SplitMnist.ScenarioName, "five tasks of two digits, in the three flavours of van de Ven et al.", typeof(SplitScenarioOptions),
            (store, seed, o) => SplitMnist.Create(store.Load("mnist"), ((SplitScenarioOptions)o).Flavour, seed, ((SplitScenarioOptions)o).Budget)),
        new(SplitFashionMnist.ScenarioName, "five tasks of two Fashion-MNIST classes, three flavours", typeof(SplitScenarioOptions),
            (store, seed, o) => SplitFashionMnist.Create(store.Load("fashion-mnist"), ((SplitScenarioOptions)o).Flavour, seed, ((SplitScenarioOptions)o).Budget)),
        new(SplitCifar.Cifar10Name, "five tasks of two CIFAR-10 classes, three flavours (your own copy of CIFAR-10)", typeof(SplitScenarioOptions),
            (store, seed, o) => SplitCifar.Cifar10(store.Load("cifar10"), ((SplitScenarioOptions)o).Flavour, seed, ((SplitScenarioOptions)o).Budget)),
        new(SplitCifar.Cifar100Name, "CIFAR-100 in T tasks of 100/T classes, 10 × 10 by default (your own copy of CIFAR-100)", typeof(SplitCifar100Options),
            (store, seed, o) => SplitCifar.Cifar100(store.Load("cifar100"), ((SplitCifar100Options)o).Tasks, ((SplitCifar100Options)o).Flavour, seed, ((SplitCifar100Options)o).Budget)),
        new(RandomLabel.ScenarioName, "1,200 MNIST images whose labels are re-permuted every task (L2 Init)", typeof(RandomLabelOptions),
            (store, seed, o) => new RandomLabel(store.Load("mnist"), seed, (RandomLabelOptions)o)),
        new(EasyHard.ScenarioName, "alternating hard (5-class) and easy (1-class) tasks (L2 Init's 5+1 CIFAR; MNIST+Fashion-MNIST without CIFAR)", typeof(EasyHardOptions),
            (store, seed, o) => EasyHard.FromStore(store, seed, (EasyHardOptions)o)),
    ];

    /// <summary>The scenario called <paramref name="name"/>.</summary>
    /// <exception cref="ConfigurationException">Unknown name; the message lists the valid ones.</exception>
    public static ScenarioEntry Get(string name) =>
        All.FirstOrDefault(e => e.Name == name.ToLowerInvariant())
        ?? throw new ConfigurationException($"unknown scenario '{name}'.{Spelling.Suggest(name, All.Select(e => e.Name))} Valid scenarios: {string.Join(", ", All.Select(e => e.Name))}.");
}
