using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Options of <see cref="LearningWithoutForgetting"/>.</summary>
/// <param name="Lambda">λ_o, the weight of the distillation term; 1 "for most experiments" in the paper (Mammoth's seq-MNIST α = 1).</param>
/// <param name="Temperature">T of the softened outputs; 2, chosen by grid search in the paper.</param>
public sealed record LwfOptions(float Lambda = 1f, float Temperature = 2f)
{
    /// <summary>λ_o ≥ 0.</summary>
    public float Lambda { get; } = Lambda >= 0 ? Lambda : throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be ≥ 0.");

    /// <summary>T &gt; 0.</summary>
    public float Temperature { get; } = Temperature > 0 ? Temperature : throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be > 0.");
}

/// <summary>Learning without Forgetting: distil the previous model's outputs on the new task's data, loss += λ_o · KD_T(old, current).</summary>
/// <remarks>
/// Li &amp; Hoiem, "Learning without Forgetting", ECCV 2016 / TPAMI 2018. At the start of each task after the first, the
/// model is frozen as a teacher; on every incoming batch the student's outputs are pulled toward the teacher's with the
/// temperature-T knowledge-distillation loss (<see cref="KnowledgeDistillation"/>, T² scaled). Multi-head (task-incremental):
/// the old tasks' heads are distilled, as the paper; single head: all outputs. No data is stored. The paper's warm-up phase
/// (training the new head alone first) is not done.
/// </remarks>
[Method("forgetting", "Li & Hoiem 2016, Learning without Forgetting, ECCV (arXiv 1606.09282)")]
public sealed class LearningWithoutForgetting(LwfOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "lwf";

    private Dictionary<string, Tensor>? _teacher;
    private int _oldHeads;

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>The options in force.</summary>
    public LwfOptions Options { get; } = options;

    /// <inheritdoc/>
    public override void OnTaskStart(Learner learner, ContinualTask task)
    {
        if (task.Id == 0) return;
        _teacher = learner.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Clone());
        _oldHeads = task.Id;
    }

    /// <inheritdoc/>
    public override DistillationTarget? Distillation(Learner learner, StepContext step)
    {
        if (_teacher is null || learner.Model.Heads > 1) return null;
        var incoming = step.Inputs.Slice(0, 0, step.IncomingCount);
        Tensor teacher;
        using (Autograd.NoGrad()) teacher = learner.Network.Call(incoming, _teacher);
        return new DistillationTarget(teacher, Options.Lambda, DistillationLoss.SoftTargets, Options.Temperature);
    }

    /// <inheritdoc/>
    public override Tensor? Loss(Learner learner, StepContext step)
    {
        if (_teacher is null || learner.Model.Heads == 1) return null;
        // Task-incremental: distil each old task's head, on the new data.
        var incoming = step.Inputs.Slice(0, 0, step.IncomingCount);
        Tensor teacher;
        using (Autograd.NoGrad()) teacher = learner.Network.Call(incoming, _teacher);
        var student = learner.Network.Forward(incoming);
        int classes = learner.Model.Classes;
        Tensor? total = null;
        for (int h = 0; h < Math.Min(_oldHeads, learner.Model.Heads); h++)
        {
            var term = KnowledgeDistillation.Loss(student.Slice(1, h * classes, classes), teacher.Slice(1, h * classes, classes), Options.Temperature);
            total = total is null ? term : total + term;
        }
        return total is null ? null : total * Options.Lambda;
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner)
    {
        state.Values["old_heads"] = _oldHeads;
        if (_teacher is null) return;
        foreach (var (name, value) in _teacher) state.Tensors[$"teacher.{name}"] = value;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _oldHeads = state.Values["old_heads"]!.GetValue<int>();
        var teacher = state.Tensors.Where(t => t.Key.StartsWith("teacher.", StringComparison.Ordinal)).ToDictionary(t => t.Key["teacher.".Length..], t => t.Value);
        _teacher = teacher.Count == 0 ? null : teacher;
    }
}
