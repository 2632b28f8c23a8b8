using Lifelong.NN;

namespace Lifelong.Meta;

/// <summary>Options of <see cref="Maml"/>.</summary>
/// <param name="InnerLr">α, the inner SGD step size; 0.01 for the paper's sinusoid regression.</param>
/// <param name="InnerSteps">Inner steps during meta-training; 1 for sinusoid.</param>
/// <param name="FirstOrder">FOMAML: treat the inner gradients as constants (no second-order terms).</param>
public sealed record MamlOptions(float InnerLr = 0.01f, int InnerSteps = 1, bool FirstOrder = false);

/// <summary>Model-agnostic meta-learning: θ ← θ − β ∇_θ Σ_tasks L_query(f_{θ′}), θ′ = θ − α∇_θ L_support(f_θ) (k inner steps).</summary>
/// <remarks>
/// Finn, Abbeel &amp; Levine, ICML 2017. The inner steps use fast weights through <see cref="Module.Call"/>, never mutating
/// the model; with <c>FirstOrder = false</c> the inner gradients are computed with <c>createGraph</c>, so the meta-gradient
/// flows through them (exact second order, Hessian-vector products included). FOMAML drops those terms: the
/// meta-gradient is ∇_{θ′} L_query evaluated at the adapted weights. The outer step is the caller's optimizer (Adam 1e-3 in
/// the paper). The loss is mean squared error (regression, as the sinusoid benchmark).
/// </remarks>
public sealed class Maml(Module model, Optimizer outer, MamlOptions? options = null)
{
    /// <summary>The options in force.</summary>
    public MamlOptions Options { get; } = options ?? new MamlOptions();

    /// <summary>The fast weights after <paramref name="steps"/> inner SGD steps on the support set of <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="steps">Inner steps (meta-testing may use more than meta-training).</param>
    /// <param name="createGraph">Keep the inner steps differentiable (second-order meta-gradient).</param>
    public Dictionary<string, Tensor> Adapt(MetaTask task, int steps, bool createGraph)
    {
        var named = model.NamedParameters().ToArray();
        var fast = named.ToDictionary(p => p.Name, p => (Tensor)p.Parameter);
        for (int s = 0; s < steps; s++)
        {
            var loss = F.Mse(model.Call(task.SupportX, fast), task.SupportY);
            var grads = Autograd.Grad(loss, [.. named.Select(p => fast[p.Name])], createGraph);
            fast = named.Select((p, i) => (p.Name, Value: fast[p.Name] - (createGraph ? grads[i] : grads[i].Detach()) * Options.InnerLr))
                        .ToDictionary(p => p.Name, p => p.Value);
        }
        return fast;
    }

    /// <summary>The meta-objective Σ_tasks L_query(f_{θ′}) / n, differentiable with respect to the model's parameters.</summary>
    public Tensor MetaLoss(IReadOnlyList<MetaTask> tasks)
    {
        Tensor? total = null;
        foreach (var task in tasks)
        {
            var fast = Adapt(task, Options.InnerSteps, createGraph: !Options.FirstOrder);
            var loss = F.Mse(model.Call(task.QueryX, fast), task.QueryY);
            total = total is null ? loss : total + loss;
        }
        return total! * (1f / tasks.Count);
    }

    /// <summary>One meta-update on a meta-batch; returns the meta-loss before the update.</summary>
    public float Step(IReadOnlyList<MetaTask> tasks)
    {
        outer.ZeroGrad();
        var loss = MetaLoss(tasks);
        loss.Backward();
        outer.Step();
        return loss.Item();
    }

    /// <summary>Query MSE of the model adapted with <paramref name="steps"/> inner steps on <paramref name="task"/>'s support set.</summary>
    public float Evaluate(MetaTask task, int steps)
    {
        var fast = Adapt(task, steps, createGraph: false);
        using (Autograd.NoGrad()) return F.Mse(model.Call(task.QueryX, fast), task.QueryY).Item();
    }
}
