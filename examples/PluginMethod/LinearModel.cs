using Lifelong.NN;

namespace PluginMethod;

/// <summary>Options of the <c>linear</c> model.</summary>
/// <param name="Bias">Whether the layer has a bias.</param>
public sealed record LinearModelOptions(bool Bias = true);

/// <summary>The plugin's scenario and model, exposed to the catalogs as public static <see cref="Lifelong.Catalog.ScenarioEntry"/>
/// and <see cref="Lifelong.Catalog.ModelEntry"/> properties: <c>--scenario gaussian-clusters</c>, <c>--model linear</c>.</summary>
public static class Components
{
    /// <summary><see cref="GaussianClusters"/> by name, with its options record.</summary>
    public static Lifelong.Catalog.ScenarioEntry Clusters { get; } = new(GaussianClusters.ScenarioName,
        "synthetic Gaussian clusters whose centres move every task (no download)", typeof(GaussianClustersOptions),
        (store, seed, options) => new GaussianClusters(seed, (GaussianClustersOptions)options));

    /// <summary>A single linear layer on the flattened image: multinomial logistic regression.</summary>
    public static Lifelong.Catalog.ModelEntry Linear { get; } = new("linear", "one linear layer on the flattened image (logistic regression)",
        typeof(LinearModelOptions), FlatInputs: true,
        (options, input, outputs, rng) => new Sequential(new Lifelong.NN.Linear(input.Size, outputs, rng.Split("fc"), ((LinearModelOptions)options).Bias)),
        // The parameter count, worked out without building the model: the command line's memory estimate uses it.
        (options, input, outputs) => ((long)input.Size * outputs) + (((LinearModelOptions)options).Bias ? outputs : 0));
}
