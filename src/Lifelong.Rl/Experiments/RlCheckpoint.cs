using System.Text.Json;
using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Rl.Agents;
using Lifelong.Rl.Vectorization;
using Lifelong.Runs;
using Lifelong.Training;

namespace Lifelong.Rl.Experiments;

/// <summary>Where an RL run stands at a checkpoint: what has been done and recorded so far.</summary>
/// <param name="Iterations">Iterations finished.</param>
/// <param name="MetricsLength">Bytes of metrics.jsonl written by then.</param>
/// <param name="LearnerSteps">The learner's step count.</param>
/// <param name="Task">The learner's current task (visit).</param>
/// <param name="TaskStep">Steps into it.</param>
/// <param name="Records">Every iteration so far.</param>
/// <param name="Levels">Every visit finished so far.</param>
public sealed record RlProgress(int Iterations, long MetricsLength, long LearnerSteps, int Task, int TaskStep, IReadOnlyList<IterationRecord> Records, IReadOnlyList<LevelResult> Levels);

/// <summary><c>checkpoint.safetensors</c> of an RL run: the network, θ₀, the optimizer, each method's state, the agent's state
/// (RNG streams, running returns, DQN's replay buffer and target network), the environments' states and the progress.</summary>
/// <remarks>Written beside the old file and renamed over it, so a run killed at any moment (SIGKILL included) leaves a whole
/// checkpoint. Tensor keys: <c>model.*</c>, <c>init.*</c>, <c>optimizer.*</c>, <c>method{i}.*</c>, <c>agent.*</c>; metadata:
/// <c>lifelong.rl.*</c> JSON. The safetensors checksums are verified on load, and the recorded config must match.</remarks>
public static class RlCheckpoint
{
    private const string Prefix = "lifelong.rl.";

    /// <summary>Writes the checkpoint atomically to <paramref name="path"/>.</summary>
    public static void Save(string path, RlConfig config, Learner learner, Agent agent, VectorEnvironment envs, IReadOnlyDictionary<Parameter, Tensor> initial, RlProgress progress)
    {
        var state = LearnerState.Capture(learner, initial);
        var tensors = state.Tensors;
        var agentState = new MethodState();
        agent.SaveState(agentState);
        foreach (var (key, value) in agentState.Tensors) tensors[$"agent.{key}"] = value;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Prefix + "config"] = config.Canonical(),
            [Prefix + "progress"] = JsonSerializer.Serialize(progress, RunResult.JsonOptions),
            [Prefix + "optimizer"] = state.Optimizer,
            [Prefix + "methods"] = state.Methods,
            [Prefix + "agent"] = agentState.Values.ToJsonString(),
            [Prefix + "environments"] = JsonSerializer.Serialize(envs.Save(), RunResult.JsonOptions),
        };
        LearnerState.WriteAtomically(path, tensors, metadata);
    }

    /// <summary>Restores the learner's network, optimizer and methods, the agent and the environments from <paramref name="path"/>;
    /// returns the progress and θ₀.</summary>
    /// <exception cref="InvalidDataException">Missing, damaged or edited file, or one written by a run with other settings.</exception>
    public static (RlProgress Progress, Dictionary<Parameter, Tensor> Initial) Load(string path, RlConfig config, Learner learner, Agent agent, VectorEnvironment envs)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no checkpoint; the run stopped before its first checkpoint, so there is nothing to resume: start it again.");
        SafeTensorsFile file;
        try { file = SafeTensors.Load(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} The checkpoint is damaged; start the run again.", e); }
        string Meta(string key) => file.Metadata.TryGetValue(Prefix + key, out var value) ? value : throw new InvalidDataException($"{path}: not an RL run checkpoint (no '{Prefix}{key}').");
        if (Meta("config") != config.Canonical())
            throw new InvalidDataException($"{path}: the run's config.json differs from the settings the checkpoint was written with; put them back to resume, or start a new run in another directory.");
        try { file.RequireFinite(path); }
        catch (SafeTensorsException e) { throw new InvalidDataException($"{e.Message} Start the run again (with a smaller learning rate if it diverged).", e); }

        var progress = JsonSerializer.Deserialize<RlProgress>(Meta("progress"), RunResult.JsonOptions) ?? throw new InvalidDataException($"{path}: empty progress.");
        var initial = LearnerState.Restore(path, file.Tensors, Meta("optimizer"), Meta("methods"), learner);
        var agentState = new MethodState { Values = JsonNode.Parse(Meta("agent"))!.AsObject() };
        foreach (var (key, value) in LearnerState.Prefixed(file.Tensors, "agent.")) agentState.Tensors[key] = value;
        agent.LoadState(agentState);
        envs.Restore(JsonSerializer.Deserialize<VectorEnvironmentState>(Meta("environments"), RunResult.JsonOptions)!);
        return (progress, initial);
    }
}
