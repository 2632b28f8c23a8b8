using Lifelong.NN;

namespace Lifelong.Meta;

/// <summary>Options of <see cref="Maml"/>.</summary>
/// <param name="InnerLr">α, the inner SGD step size; 0.01 for the paper's sinusoid regression. With <paramref name="LearnInnerLr"/>, the initial value of every α.</param>
/// <param name="InnerSteps">Inner steps during meta-training; 1 for sinusoid.</param>
/// <param name="FirstOrder">FOMAML: treat the inner gradients as constants (no second-order terms).</param>
/// <param name="LearnInnerLr">Meta-SGD (Li, Zhou, Chen &amp; Li 2017): a learned step size per parameter element, θ′ = θ − α ⊙ ∇L,
/// meta-trained with θ by the outer optimizer (use the constructor that builds it).</param>
/// <param name="AdaptOnly">ANIL (Raghu, Raghu, Bengio &amp; Vinyals 2020): adapt only the parameters whose dotted name starts with
/// this prefix (the head: <c>head</c>); the body is used as it is in the inner loop and meta-trained in the outer one. Null adapts all.</param>
public sealed record MamlOptions(float InnerLr = 0.01f, int InnerSteps = 1, bool FirstOrder = false, bool LearnInnerLr = false, string? AdaptOnly = null);

/// <summary>Model-agnostic meta-learning: θ ← θ − β ∇_θ Σ_tasks L_query(f_{θ′}), θ′ = θ − α∇_θ L_support(f_θ) (k inner steps).</summary>
/// <remarks>
/// Finn, Abbeel &amp; Levine, ICML 2017. The inner steps use fast weights through <see cref="Module.Call"/>, never mutating
/// the model; with <c>FirstOrder = false</c> the inner gradients are computed with <c>createGraph</c>, so the meta-gradient
/// flows through them (exact second order, Hessian-vector products included). FOMAML drops those terms: the
/// meta-gradient is ∇_{θ′} L_query evaluated at the adapted weights. The outer step is the caller's optimizer (Adam 1e-3 in
/// the paper). The loss is mean squared error for regression (the sinusoid benchmark) and cross-entropy for classification
/// tasks (<see cref="MetaTask.Classification"/>). Meta-SGD (<see cref="MamlOptions.LearnInnerLr"/>) and ANIL
/// (<see cref="MamlOptions.AdaptOnly"/>) are options of the same loop.
/// </remarks>
public sealed class Maml
{
    private readonly Module model;
    private readonly Optimizer outer;
    private readonly (string Name, Parameter Parameter)[] _adapted;
    private readonly Dictionary<string, Parameter> _innerLrs = [];

    /// <summary>MAML, FOMAML or ANIL on <paramref name="model"/>, meta-trained by <paramref name="outer"/> (over the model's parameters).</summary>
    public Maml(Module model, Optimizer outer, MamlOptions? options = null) : this(model, _ => outer, options)
    {
        if (Options.LearnInnerLr) throw new ArgumentException("Maml: Meta-SGD learns its step sizes with the outer optimizer; use the constructor that builds the optimizer from the parameters.", nameof(options));
    }

    /// <summary>MAML and its variants with the outer optimizer built by <paramref name="outer"/> over the parameters to
    /// meta-train: the model's and, for Meta-SGD, the step sizes (<see cref="InnerLrs"/>).</summary>
    public Maml(Module model, Func<IReadOnlyList<Tensor>, Optimizer> outer, MamlOptions? options = null)
    {
        this.model = model;
        Options = options ?? new MamlOptions();
        _adapted = [.. model.NamedParameters().Where(p => Options.AdaptOnly is not { } prefix || p.Name.StartsWith(prefix, StringComparison.Ordinal))];
        if (_adapted.Length == 0) throw new ArgumentException($"Maml: no parameter name starts with '{Options.AdaptOnly}'; names are [{string.Join(", ", model.NamedParameters().Select(p => p.Name))}].", nameof(options));
        if (Options.LearnInnerLr)
            foreach (var (name, parameter) in _adapted)
            {
                var alpha = new Parameter(parameter.Shape.ToArray());
                alpha.Span.Fill(Options.InnerLr);
                _innerLrs[name] = alpha;
            }
        this.outer = outer([.. model.Parameters(), .. _innerLrs.Values]);
    }

    /// <summary>The options in force.</summary>
    public MamlOptions Options { get; }

    /// <summary>Meta-SGD's learned step sizes, by parameter name (empty unless <see cref="MamlOptions.LearnInnerLr"/>).</summary>
    public IReadOnlyDictionary<string, Parameter> InnerLrs => _innerLrs;

    /// <summary>The fast weights after <paramref name="steps"/> inner SGD steps on the support set of <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="steps">Inner steps (meta-testing may use more than meta-training).</param>
    /// <param name="createGraph">Keep the inner steps differentiable (second-order meta-gradient).</param>
    public Dictionary<string, Tensor> Adapt(MetaTask task, int steps, bool createGraph)
    {
        var fast = model.NamedParameters().ToDictionary(p => p.Name, p => (Tensor)p.Parameter);
        for (int s = 0; s < steps; s++)
        {
            var loss = task.Loss(model.Call(task.SupportX, fast), query: false);
            var grads = Autograd.Grad(loss, [.. _adapted.Select(p => fast[p.Name])], createGraph);
            for (int i = 0; i < _adapted.Length; i++)
            {
                string name = _adapted[i].Name;
                var g = createGraph ? grads[i] : grads[i].Detach();
                // Meta-SGD's α stays in the graph even in first order, so the step sizes are meta-learned either way.
                fast[name] = fast[name] - (_innerLrs.TryGetValue(name, out var alpha) ? alpha * g : g * Options.InnerLr);
            }
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
            var loss = task.Loss(model.Call(task.QueryX, fast), query: true);
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

    /// <summary>Query loss (MSE, or cross-entropy for a classification task) of the model adapted with <paramref name="steps"/>
    /// inner steps on <paramref name="task"/>'s support set.</summary>
    public float Evaluate(MetaTask task, int steps)
    {
        var fast = Adapt(task, steps, createGraph: false);
        using (Autograd.NoGrad()) return task.Loss(model.Call(task.QueryX, fast), query: true).Item();
    }

    /// <summary>Query accuracy of the adapted model on a classification task.</summary>
    public double Accuracy(MetaTask task, int steps)
    {
        var labels = task.QueryLabels ?? throw new ArgumentException("Maml.Accuracy: the task has no class labels.", nameof(task));
        var fast = Adapt(task, steps, createGraph: false);
        Tensor logits;
        using (Autograd.NoGrad()) logits = model.Call(task.QueryX, fast);
        var predicted = logits.ArgMax(1);
        return Enumerable.Range(0, labels.Length).Count(i => predicted[i] == labels[i]) / (double)labels.Length;
    }
}
