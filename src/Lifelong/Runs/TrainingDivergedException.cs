namespace Lifelong.Runs;

/// <summary>The training loss stopped being a finite number: the run diverged, and every metric after this point would
/// describe a broken network (a constant prediction), so the run stops instead of writing them.</summary>
/// <remarks>Usually the step size is too large for the loss, or a regularizer's strength times the step size is (with
/// plain SGD, a quadratic penalty of curvature c diverges once lr·c &gt; 2).</remarks>
public sealed class TrainingDivergedException(int task, int step, double loss, IReadOnlyList<string> methods)
    : Exception($"training diverged at task {task}, step {step}: the loss is {loss}. Lower the learning rate, or the strength of " +
                $"the method's regularization ({string.Join(" + ", methods)}); metrics.jsonl has the loss up to this point.")
{
    /// <summary>The task (0-based) in which the loss became non-finite.</summary>
    public int Task { get; } = task;

    /// <summary>The step within the task.</summary>
    public int Step { get; } = step;
}
