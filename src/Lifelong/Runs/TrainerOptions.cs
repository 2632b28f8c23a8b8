namespace Lifelong.Runs;

/// <summary>Logging and checkpointing of a <see cref="Trainer"/>.</summary>
/// <param name="LogEvery">Write a metrics line (mean loss and online accuracy) every this many steps; 0 for none.</param>
/// <param name="CheckpointEverySteps">Also checkpoint inside a task every this many steps; 0 (default) for task boundaries only.</param>
/// <param name="Checkpoint">Write checkpoints at all (needs a run directory).</param>
/// <param name="TensorBoard">Write a TensorBoard event file in the run directory (needs a run directory).</param>
public sealed record TrainerOptions(int LogEvery = 50, int CheckpointEverySteps = 0, bool Checkpoint = true, bool TensorBoard = true)
{
    /// <summary>The run's settings, recorded in every checkpoint and compared on resume, so that an edited
    /// <c>config.json</c> is refused rather than half applied (see <see cref="RecordedConfig"/>); null records none.</summary>
    public RunConfig? Config { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (LogEvery < 0) throw new ArgumentException($"log-every={LogEvery}: must be ≥ 0.");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"checkpoint-every={CheckpointEverySteps}: must be ≥ 0.");
    }
}
