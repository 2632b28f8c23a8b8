namespace Lifelong.NN;

/// <summary>Sets the learning rate of an optimizer's groups as a function of the step count, as PyTorch's <c>LRScheduler</c>.</summary>
/// <remarks>
/// Each group's learning rate when the scheduler is created is its base rate η₀. Creating the scheduler applies the
/// rate for step 0; each <see cref="Step"/> advances the count and applies the next rate. Call it after
/// <see cref="Optimizer.Step"/>, as in PyTorch. Rates are closed-form functions of (η₀, t) (PyTorch's
/// <c>_get_closed_form_lr</c>), so they do not drift, and a scheduler can jump to any step with <see cref="SetStep"/>
/// when a run resumes. A group added to the optimizer later (a growing network) takes its rate at the next
/// <see cref="Step"/> as its base rate and follows the same schedule.
/// </remarks>
public abstract class LrScheduler
{
    private readonly List<double> _baseLrs = [];

    /// <summary>Schedules the groups of <paramref name="optimizer"/> and applies the rate for step 0.</summary>
    protected LrScheduler(Optimizer optimizer)
    {
        Optimizer = optimizer;
    }

    /// <summary>The optimizer whose rates are set.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Steps taken so far (PyTorch's <c>last_epoch</c>); 0 on creation.</summary>
    public int LastStep { get; private set; }

    /// <summary>The base rate η₀ of each group, in group order.</summary>
    public IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>The rate applied to each group by the last <see cref="Step"/>, in group order.</summary>
    public IReadOnlyList<double> LastLrs => [.. Optimizer.ParamGroups.Select(g => g.Lr)];

    /// <summary>The rate at step <paramref name="step"/> for a group whose base rate is <paramref name="baseLr"/>.</summary>
    public abstract double LrAt(double baseLr, int step);

    /// <summary>Advances one step and sets every group's rate.</summary>
    public void Step() => SetStep(LastStep + 1);

    /// <summary>Jumps to step <paramref name="step"/> (e.g. when resuming from a checkpoint) and sets every group's rate.</summary>
    public void SetStep(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        LastStep = step;
        var groups = Optimizer.ParamGroups;
        for (int g = _baseLrs.Count; g < groups.Count; g++) _baseLrs.Add(groups[g].Lr);
        for (int g = 0; g < groups.Count; g++) groups[g].Lr = LrAt(_baseLrs[g], step);
    }

    /// <summary>Applies the rate for step 0; derived constructors call it once their fields are set.</summary>
    protected void Start() => SetStep(0);
}
