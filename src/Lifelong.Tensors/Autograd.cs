namespace Lifelong.Tensors;

/// <summary>One recorded op: its inputs and the rule mapping the output's gradient to the inputs' gradients.</summary>
/// <remarks>The rule is written with differentiable tensor ops, so a backward pass run with grad mode on is itself recorded.</remarks>
internal sealed class GradNode(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
{
    public string Op { get; } = op;
    public Tensor[] Inputs { get; } = inputs;
    public Func<Tensor, Tensor?[]> Backward { get; } = backward;
}

/// <summary>Reverse-mode, define-by-run automatic differentiation, to any order.</summary>
public static class Autograd
{
    [ThreadStatic] private static int t_noGradDepth;

    /// <summary>Whether ops are being recorded on this thread.</summary>
    public static bool IsGradEnabled => t_noGradDepth == 0;

    /// <summary>Turns recording off on this thread until the returned scope is disposed: <c>using (Autograd.NoGrad()) { ... }</c>.</summary>
    public static GradModeScope NoGrad()
    {
        t_noGradDepth++;
        return new GradModeScope(+1);
    }

    /// <summary>Turns recording back on inside a no-grad region until the returned scope is disposed.</summary>
    public static GradModeScope EnableGrad()
    {
        int saved = t_noGradDepth;
        t_noGradDepth = 0;
        return new GradModeScope(-saved - 1);
    }

    /// <summary>Restores the grad mode of the enclosing scope.</summary>
    public readonly struct GradModeScope : IDisposable
    {
        private readonly int _token;
        internal GradModeScope(int token) => _token = token;

        /// <summary>Leaves the scope.</summary>
        public void Dispose()
        {
            if (_token > 0) t_noGradDepth--;
            else t_noGradDepth = -_token - 1;
        }
    }

    /// <summary>Records <paramref name="output"/> as produced from <paramref name="inputs"/>, when grad mode is on and any input requires grad.</summary>
    /// <param name="output">The op's result.</param>
    /// <param name="inputs">The op's tensor inputs, in the order the backward rule returns their gradients.</param>
    /// <param name="backward">Maps d/d(output) to d/d(input) for each input (null where an input gets no gradient), using tensor ops.</param>
    /// <param name="op">The op's name, shown when a tensor prints; filled in by the compiler.</param>
    public static Tensor Record(Tensor output, Tensor[] inputs, Func<Tensor, Tensor?[]> backward, [System.Runtime.CompilerServices.CallerMemberName] string op = "")
    {
        if (t_noGradDepth > 0) return output;
        foreach (var input in inputs)
        {
            if (input.RequiresGrad)
            {
                output.GradFn = new GradNode(op, inputs, backward);
                output.RequiresGrad = true;
                return output;
            }
        }
        return output;
    }

    /// <summary>Gradients of Σᵢ ⟨outputs[i], gradOutputs[i]⟩ with respect to each of <paramref name="inputs"/>.</summary>
    /// <param name="outputs">Tensors to differentiate; one-element outputs may omit their gradient.</param>
    /// <param name="inputs">Tensors to differentiate with respect to (leaves or intermediates).</param>
    /// <param name="gradOutputs">d(objective)/d(output) for each output, or null for all ones.</param>
    /// <param name="createGraph">Record the backward pass, so the returned gradients can be differentiated again (second-order MAML, Hessian-vector products).</param>
    /// <returns>One gradient per input, zeros where an input does not influence the outputs.</returns>
    public static Tensor[] Grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor>? gradOutputs = null, bool createGraph = false)
    {
        var wanted = new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);
        var grads = Run(outputs, gradOutputs, createGraph, wanted);
        var result = new Tensor[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
            result[i] = grads.TryGetValue(inputs[i], out var g) ? g : Tensor.Zeros(inputs[i].Shape);
        return result;
    }

    /// <summary>Gradient of a one-element <paramref name="output"/> with respect to each of <paramref name="inputs"/>.</summary>
    public static Tensor[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, bool createGraph = false) =>
        Grad([output], inputs, null, createGraph);

    internal static void Backward(Tensor output, Tensor? gradient, bool createGraph)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require grad; no input of the computation had RequiresGrad set (or it ran under NoGrad).");
        var grads = Run([output], gradient is null ? null : [gradient], createGraph, null);
        foreach (var (tensor, grad) in grads)
        {
            if (!tensor.IsLeaf) continue;
            var g = createGraph ? grad : grad.Detach();
            tensor.Grad = tensor.Grad is null ? g : AccumulateGrad(tensor.Grad, g, createGraph);
        }
    }

    private static Tensor AccumulateGrad(Tensor existing, Tensor g, bool createGraph)
    {
        if (createGraph) return existing + g;
        using (NoGrad()) return existing + g;
    }

    /// <summary>Runs the backward pass; returns the gradient of every leaf reached (and of every wanted tensor).</summary>
    private static Dictionary<Tensor, Tensor> Run(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor>? gradOutputs, bool createGraph, HashSet<Tensor>? wanted)
    {
        var order = TopologicalOrder(outputs);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            Tensor seed;
            if (gradOutputs is not null && gradOutputs[i] is not null)
            {
                seed = gradOutputs[i];
                if (seed.Shape != output.Shape)
                    throw new ArgumentException($"Grad: the gradient for output {i} has shape {seed.Shape}, the output has shape {output.Shape}.");
            }
            else
            {
                if (output.Size != 1)
                    throw new ArgumentException($"Grad: output {i} has shape {output.Shape}; pass its gradient explicitly, or reduce it to one element first (e.g. .Sum()).");
                seed = Tensor.Ones(output.Shape);
            }
            grads[output] = grads.TryGetValue(output, out var prior) ? prior + seed : seed;
        }

        var result = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        using var mode = createGraph ? EnableGrad() : NoGrad();
        for (int n = order.Count - 1; n >= 0; n--)
        {
            var tensor = order[n];
            if (!grads.Remove(tensor, out var grad)) continue;
            if (tensor.IsLeaf || (wanted is not null && wanted.Contains(tensor))) result[tensor] = grad;
            var node = tensor.GradFn;
            if (node is null) continue;
            var inputGrads = node.Backward(grad);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var input = node.Inputs[i];
                var g = inputGrads[i];
                if (g is null || !input.RequiresGrad) continue;
                if (g.Shape != input.Shape)
                    throw new InvalidOperationException($"Autograd: the backward of {node.Op} produced a gradient of shape {g.Shape} for an input of shape {input.Shape}.");
                grads[input] = grads.TryGetValue(input, out var sum) ? sum + g : g;
            }
        }
        return result;
    }

    /// <summary>Every tensor that requires grad and feeds the outputs, inputs before the ops that use them (iterative DFS: deep graphs must not overflow the stack).</summary>
    private static List<Tensor> TopologicalOrder(IReadOnlyList<Tensor> outputs)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Tensor, int Next)>();
        foreach (var output in outputs)
        {
            if (!output.RequiresGrad || !visited.Add(output)) continue;
            stack.Push((output, 0));
            while (stack.Count > 0)
            {
                var (tensor, next) = stack.Pop();
                var inputs = tensor.GradFn?.Inputs;
                if (inputs is not null && next < inputs.Length)
                {
                    stack.Push((tensor, next + 1));
                    var input = inputs[next];
                    if (input.RequiresGrad && visited.Add(input)) stack.Push((input, 0));
                }
                else
                {
                    order.Add(tensor);
                }
            }
        }
        return order;
    }
}
