namespace Lifelong.Training;

/// <summary>One training step as the methods see it: the samples, the forward pass, the task loss.</summary>
/// <param name="Batch">Incoming rows first, then any replayed rows.</param>
/// <param name="IncomingCount">How many leading rows of <paramref name="Batch"/> came from the stream.</param>
/// <param name="Inputs">The batch inputs as a tensor.</param>
/// <param name="Logits">(N, classes) outputs on each sample's head, with their graph.</param>
/// <param name="TaskLoss">Mean cross-entropy over all rows.</param>
/// <param name="TaskStep">The step's index within its task, from 0.</param>
public sealed record StepContext(TrainingBatch Batch, int IncomingCount, Tensor Inputs, Tensor Logits, Tensor TaskLoss, int TaskStep)
{
    /// <summary>Post-activation outputs of each hidden layer in this step's forward pass (before the update), when a
    /// method asked for them (<see cref="ContinualMethod.NeedsHiddenFeatures"/>) and the network exposes them; else null.</summary>
    public IReadOnlyList<Tensor>? Hidden { get; internal set; }

    /// <summary>The step's total loss (task loss plus every method's terms), set before backward.</summary>
    public Tensor? TotalLoss { get; internal set; }

    /// <summary>Fraction of the incoming rows the model classified correctly before this step's update (online accuracy).</summary>
    public double OnlineAccuracy { get; internal set; }
}
