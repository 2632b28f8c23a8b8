using System.Text.Json.Nodes;
using Lifelong.Catalog;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Learning without forgetting: L = L_new(y_n, ŷ_n) + λ_o · L_old(Y_o, Ŷ_o), where Y_o are the previous model's outputs on the new data and L_old is the cross-entropy between their temperature-T softmaxes (Li &amp; Hoiem 2016).</summary>
/// <remarks>
/// <para>At the start of every task after the first, the current network is frozen as the teacher. Each step distils the
/// teacher's outputs on the incoming rows through <see cref="KnowledgeDistillation"/> (T = 2 as the paper; its KL differs
/// from the paper's cross-entropy by the teacher's entropy, a constant, and carries Hinton's T² factor).</para>
/// <para>Single-head streams (class- and domain-incremental) distil the whole output. Task-incremental streams distil
/// every old task's head, each with its own softmax, summed over old heads as the paper's L_old sums over old tasks.
/// The paper's warm-up (training the new head alone first) is not done here; λ_o = 1 as "for most experiments".</para>
/// </remarks>
[Method("forgetting", "Li & Hoiem 2016, Learning without Forgetting, ECCV / TPAMI 2018")]
public sealed class Lwf(LwfOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "lwf";

    private Dictionary<string, Tensor>? _teacher;
    private int[] _oldHeads = [];

    /// <summary>LwF with the default options.</summary>
    public Lwf() : this(new LwfOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task)
    {
        if (task.Id == 0) return;
        _teacher = learner.Network.NamedParameters().ToDictionary(e => e.Name, e => (Tensor)e.Parameter.Clone());
        _oldHeads = [.. Enumerable.Range(0, task.Id).Select(j => learner.Scenario.GetTask(j).Head ?? 0).Distinct().Where(h => h != (task.Head ?? 0))];
    }

    /// <inheritdoc/>
    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        if (_teacher is null) return null;
        var incoming = step.Batch.Slice(0, step.IncomingCount);
        if (learner.Model.Heads == 1) return new DistillationTarget(Teacher(learner, incoming), options.Lambda, Temperature: options.Temperature);
        if (_oldHeads.Length == 0) return null;
        var samples = incoming;
        for (int k = 1; k < _oldHeads.Length; k++) samples = samples.Append(incoming);
        for (int k = 0; k < _oldHeads.Length; k++) Array.Fill(samples.Heads, _oldHeads[k], k * incoming.Count, incoming.Count);
        // The loss is a mean over rows, i.e. over old heads; times their number it is the paper's sum over old tasks.
        return new DistillationTarget(Teacher(learner, samples), options.Lambda * _oldHeads.Length, Temperature: options.Temperature, Samples: samples);
    }

    private Tensor Teacher(Learner learner, TrainingBatch samples)
    {
        bool wasTraining = learner.Network.IsTraining;
        learner.Network.Eval();
        try
        {
            using (Autograd.NoGrad()) return learner.Model.SelectHeads(learner.Network.Call(samples.ToTensor(), _teacher!), samples.Heads);
        }
        finally
        {
            learner.Network.Train(wasTraining);
        }
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        if (_teacher is null) return;
        foreach (var (name, value) in _teacher) state.Tensors[$"teacher.{name}"] = value;
        state.Values["old_heads"] = new JsonArray([.. _oldHeads.Select(h => JsonValue.Create(h))]);
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        if (state.Values["old_heads"] is not { } heads) return;
        _teacher = state.Tensors.Where(e => e.Key.StartsWith("teacher.", StringComparison.Ordinal)).ToDictionary(e => e.Key["teacher.".Length..], e => e.Value);
        _oldHeads = [.. heads.AsArray().Select(h => h!.GetValue<int>())];
    }
}

/// <summary>Options of <see cref="Lwf"/>.</summary>
/// <param name="Lambda">Weight λ_o of the old-task term (the paper: 1 for most experiments).</param>
/// <param name="Temperature">Distillation temperature T (the paper: 2, by grid search).</param>
public sealed record LwfOptions([NonNegative] float Lambda = 1f, [Positive] float Temperature = 2f);
