namespace Lifelong.Evaluation;

/// <summary>Which data the representation probes run on after each task.</summary>
public enum ProbeData
{
    /// <summary>The next task's test data (the current task's after the last one), as the L2 Init code probes.</summary>
    NextTask,

    /// <summary>The task just trained's test data.</summary>
    CurrentTask,

    /// <summary>No probes.</summary>
    None,
}

/// <summary>What is measured after each task and how often.</summary>
/// <param name="Every">Evaluate a full accuracy-matrix row every this many tasks (and after the last); in between only
/// R[i][i] and R[i][i+1]. 1 (every row) by default; raise it for streams of hundreds of tasks.</param>
/// <param name="TestSubset">Evaluate on the first this many test images of each task; null for all.</param>
/// <param name="Probe">Which data the probes use.</param>
/// <param name="ProbeSize">Probe inputs (the first of the probe set); 1,000 by default.</param>
/// <param name="DormantThreshold">τ of the dormant-unit score (ReDo); 0.025 by default.</param>
/// <param name="SrankDelta">δ of srank; 0.01 by default.</param>
/// <param name="BatchSize">Inputs per forward pass while evaluating.</param>
/// <param name="Auroc">Also measure the mean one-vs-rest AUROC of the softmax probabilities on every evaluated task (the
/// metric DEN reports); it fills <c>auroc_matrix</c> in <c>result.json</c>.</param>
public sealed record EvaluationOptions(
    int Every = 1,
    int? TestSubset = null,
    ProbeData Probe = ProbeData.NextTask,
    int ProbeSize = 1_000,
    double DormantThreshold = 0.025,
    double SrankDelta = 0.01,
    int BatchSize = 1_000,
    bool Auroc = false)
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (Every < 1) throw new ArgumentException($"evaluation every={Every}: must be at least 1.");
        if (TestSubset is < 1) throw new ArgumentException($"evaluation test-subset={TestSubset}: must be at least 1 (or absent for the whole test set).");
        if (ProbeSize < 1) throw new ArgumentException($"evaluation probe-size={ProbeSize}: must be at least 1.");
        if (DormantThreshold < 0) throw new ArgumentException($"evaluation dormant-threshold={DormantThreshold}: must be ≥ 0.");
        if (SrankDelta is <= 0 or >= 1) throw new ArgumentException($"evaluation srank-delta={SrankDelta}: must lie in (0, 1).");
        if (BatchSize < 1) throw new ArgumentException($"evaluation batch-size={BatchSize}: must be at least 1.");
    }

    /// <summary>Whether row <paramref name="trainedThrough"/> of <paramref name="tasks"/> is evaluated in full.</summary>
    public bool IsFullRow(int trainedThrough, int tasks) => trainedThrough == tasks - 1 || trainedThrough % Every == 0;
}
