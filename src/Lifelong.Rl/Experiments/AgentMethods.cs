using Lifelong.Catalog;
using Lifelong.Training;

namespace Lifelong.Rl.Experiments;

/// <summary>Which continual-learning methods apply to an agent.</summary>
/// <remarks>
/// A method applies when it acts only through the parameters, gradients and hidden activations of the network — what an
/// agent's <see cref="Learner.StepOnLoss"/> provides. Methods defined on a task's labelled data (EWC, SI and MAS read
/// Fisher or importance from it, replay and DER add labelled samples, LwF distils logits on it, A-GEM projects onto
/// gradients of stored samples, joint training retrains on every task's data, SoTU, DEN and the frozen-backbone heads own a
/// supervised loop) have no meaning for a policy's experience and are refused with this list.
/// </remarks>
public static class AgentMethods
{
    /// <summary>The methods that apply to agents, by command-line name.</summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["finetune", "l2", "l2init", "l1init", "l2init-resample", "shrink-perturb", "redo", "cbp", "upgd", "hare-tortoise"];

    /// <summary>The methods named by <paramref name="specs"/> (<c>l2init:lambda=0.01</c>), refusing those that cannot apply to an agent.</summary>
    /// <exception cref="ConfigurationException">A method is unknown or does not apply to agents.</exception>
    public static IReadOnlyList<ContinualMethod> Create(IEnumerable<string> specs)
    {
        var list = specs.ToList();
        foreach (var spec in list.SelectMany(MethodCatalog.SplitComposite))
        {
            string name = ComponentSpec.Parse(spec, "method").Name;
            if (!Supported.Contains(name) && MethodCatalog.All.Any(m => m.Name == name))
                throw new ConfigurationException($"method '{name}' reads a task's labelled data or owns a supervised training loop, which an agent has not; methods that apply to agents: {string.Join(", ", Supported)}.");
        }
        return MethodCatalog.Create(list);
    }
}
