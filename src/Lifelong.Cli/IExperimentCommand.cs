using System.Text.Json.Nodes;
using Lifelong.Data;

namespace Lifelong.Cli;

/// <summary>A command whose runs write an experiment run directory (<see cref="Experiments.ExperimentRun"/>): what a sweep
/// needs to expand its settings into configs and to run one of them.</summary>
public interface IExperimentCommand : ICommand
{
    /// <summary>The experiment kind its <c>config.json</c> and <c>result.json</c> name.</summary>
    string Kind { get; }

    /// <summary>The fully resolved config of a new run given its command-line settings (<c>--key value</c> pairs), without
    /// <c>out</c> and <c>provenance</c>.</summary>
    /// <exception cref="Catalog.ConfigurationException">A bad setting; the message names it.</exception>
    JsonObject Resolve(IReadOnlyList<string> args);

    /// <summary>Runs <paramref name="config"/> into <paramref name="directory"/>, or continues it there when
    /// <paramref name="resume"/>; writes <c>result.json</c>.</summary>
    /// <exception cref="NotFiniteNumberException">Training diverged.</exception>
    void Execute(JsonObject config, string directory, bool resume, DatasetStore store, TextWriter log);
}
