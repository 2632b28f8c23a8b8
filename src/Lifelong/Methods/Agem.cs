using Lifelong.Catalog;
using Lifelong.NN;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Averaged GEM: when the step's gradient g points against the reference gradient g_ref of an episodic memory (gᵀg_ref &lt; 0), step along g̃ = g − (gᵀg_ref / g_refᵀg_ref) · g_ref instead (Chaudhry et al. 2019, Eq. 11).</summary>
/// <remarks>
/// g̃ is the projection of g onto the half-space gᵀg_ref ≥ 0 — it satisfies g̃ᵀg_ref = 0 — so, to first order, the step
/// does not increase the average loss on the memory. The gradients are flattened over all parameters. At the end of
/// each task <see cref="AgemOptions.MemoryPerTask"/> of its training rows join the memory; g_ref is the gradient of the
/// mean cross-entropy on a random <see cref="AgemOptions.ReferenceBatch"/> of it, computed afresh at every step.
/// The defaults are ours (the A-GEM paper's MNIST memory sizes are not in our notes).
/// </remarks>
[Method("forgetting", "Chaudhry et al. 2019, Efficient Lifelong Learning with A-GEM, ICLR")]
public sealed class Agem(AgemOptions options) : ContinualMethod
{
    /// <summary>The command-line name.</summary>
    public const string MethodName = "agem";

    private ReplayBuffer? _memory;

    /// <summary>A-GEM with the default options.</summary>
    public Agem() : this(new AgemOptions()) { }

    /// <inheritdoc/>
    public override string Name => MethodName;

    /// <summary>Steps whose gradient was projected so far in this session (diagnostic; not checkpointed).</summary>
    public int Projections { get; private set; }

    /// <inheritdoc/>
    public override void OnRunStart(Learner learner) => _memory = NewMemory(learner);

    /// <inheritdoc/>
    public override void BeforeStep(Learner learner, StepContext step)
    {
        if (_memory is not { Count: > 0 } memory) return;
        var (reference, _) = memory.Sample(options.ReferenceBatch);
        var parameters = learner.Network.Parameters().ToList();
        var loss = F.CrossEntropy(learner.Model.Forward(reference.ToTensor(), reference.Heads), reference.Labels);
        var referenceGradient = Flatten(Autograd.Grad(loss, parameters), parameters);
        var gradient = Flatten([.. parameters.Select(p => p.Grad ?? Tensor.Zeros(p.Shape))], parameters);
        if (!Project(gradient, referenceGradient)) return;
        Projections++;
        int offset = 0;
        foreach (var p in parameters)
        {
            p.Grad = Tensor.FromArray(gradient[offset..(offset + p.Size)], p.Shape.ToArray());
            offset += p.Size;
        }
    }

    /// <summary>Projects <paramref name="gradient"/> in place when gᵀg_ref &lt; 0: g ← g − (gᵀg_ref / g_refᵀg_ref) g_ref; returns whether it did.</summary>
    public static bool Project(Span<float> gradient, ReadOnlySpan<float> reference)
    {
        double dot = 0, norm = 0;
        for (int i = 0; i < gradient.Length; i++) (dot, norm) = (dot + (double)gradient[i] * reference[i], norm + (double)reference[i] * reference[i]);
        if (dot >= 0 || norm == 0) return false;
        double scale = dot / norm;
        for (int i = 0; i < gradient.Length; i++) gradient[i] = (float)(gradient[i] - scale * reference[i]);
        return true;
    }

    /// <inheritdoc/>
    public override void OnTaskEnd(Learner learner, ContinualTask task)
    {
        var memory = _memory ?? throw new InvalidOperationException("Agem: OnRunStart was not called.");
        foreach (var batch in TaskSamples.Draw(learner, task, options.MemoryPerTask, learner.Rng.Split($"{Name}/memory/{task.Id}"))) memory.Add(batch);
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state, Learner learner) => _memory?.Save(state, "memory");

    /// <inheritdoc/>
    public override void LoadState(MethodState state, Learner learner)
    {
        _memory = NewMemory(learner);
        _memory.Load(state, "memory");
    }

    private ReplayBuffer NewMemory(Learner learner) =>
        new(options.MemoryPerTask * learner.Scenario.TaskCount, BufferPolicy.Reservoir, learner.Rng.Split(Name));

    private static float[] Flatten(Tensor[] tensors, List<Parameter> parameters)
    {
        var flat = new float[parameters.Sum(p => p.Size)];
        int offset = 0;
        foreach (var t in tensors)
        {
            t.Span.CopyTo(flat.AsSpan(offset));
            offset += t.Size;
        }
        return flat;
    }
}

/// <summary>Options of <see cref="Agem"/>.</summary>
/// <param name="MemoryPerTask">Training rows of each finished task kept in the episodic memory.</param>
/// <param name="ReferenceBatch">Memory rows the reference gradient is computed on at each step.</param>
public sealed record AgemOptions([Positive] int MemoryPerTask = 250, [Positive] int ReferenceBatch = 256);
