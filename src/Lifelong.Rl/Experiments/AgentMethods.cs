using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Rl.Experiments;

/// <summary>Which continual-learning methods apply to an agent.</summary>
/// <remarks>
/// A method applies when it acts only through the parameters, gradients and hidden activations of the network — what an
/// agent's <see cref="Learner.StepOnLoss"/> provides: the regularizers (L2, L2 Init, L1 Init, SI), the resets and
/// perturbations (Shrink &amp; Perturb, ReDo, Continual Backprop, UPGD, Hare &amp; Tortoise), and any plugin built the same
/// way. The methods of <see cref="DataBound"/> are defined on a task's labelled data — EWC and MAS compute importances on
/// it, replay and DER add labelled samples, LwF distils logits on it, A-GEM projects onto gradients of stored samples,
/// joint and multi-task training retrain on every task's data, GDumb trains on a stored balanced set, and SoTU, DEN,
/// RanPAC and SimpleCIL own a supervised loop — so they are refused, with this list, before anything runs.
/// </remarks>
public static class AgentMethods
{
    /// <summary>The methods that cannot apply to an agent, by command-line name.</summary>
    public static IReadOnlyList<string> DataBound { get; } =
        ["ewc", "ewc-online", "mas", "replay", "der", "derpp", "lwf", "agem", "joint", "multitask", "gdumb", "sotu", "den", "ranpac", "simplecil"];

    /// <summary>The library's methods that apply to agents.</summary>
    public static IReadOnlyList<string> Supported => [.. MethodCatalog.All.Select(m => m.Name).Where(n => !DataBound.Contains(n))];

    /// <summary>The methods named by <paramref name="specs"/> (<c>l2init:lambda=0.01</c>, <c>l2init+redo</c>), refusing those that cannot apply to an agent.</summary>
    /// <exception cref="ConfigurationException">A method is unknown or does not apply to agents.</exception>
    public static IReadOnlyList<ContinualMethod> Create(IEnumerable<string> specs)
    {
        var list = specs.ToList();
        foreach (var spec in list.SelectMany(MethodCatalog.SplitComposite))
        {
            string name = ComponentSpec.Parse(spec, "method").Name;
            if (DataBound.Contains(name))
                throw new ConfigurationException($"method '{name}' is defined on a task's labelled data (or owns a supervised training loop), which an agent has not; methods that apply to agents: {string.Join(", ", Supported)}.");
        }
        return MethodCatalog.Create(list);
    }
}
