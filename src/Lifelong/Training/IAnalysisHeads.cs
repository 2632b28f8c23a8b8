namespace Lifelong.Training;

/// <summary>A method that can also classify with heads other than its own, for analysis only: after every task the trainer
/// measures each of them on every task seen so far, with the run's test sets, and records the accuracies with the
/// method's diagnostics (<c>probes[t].method</c>).</summary>
/// <remarks>
/// A head named <c>oracle</c> records <c>oracle_acc.j</c> (accuracy on seen task j) and <c>oracle_acc</c> (their mean). The
/// first use is SoTU's oracle head, refitted on every seen task's training data with the current merged features, and its
/// frozen-θ₀ head: against the method's own head they separate the quality of the features from the drift of the head's
/// statistics. Such heads may use old data, so they are never what the run is scored with.
/// </remarks>
public interface IAnalysisHeads
{
    /// <summary>The heads' names (empty when the analysis is off).</summary>
    IReadOnlyList<string> AnalysisHeads { get; }

    /// <summary>Makes <see cref="ContinualMethod.Predict"/> answer with head <paramref name="name"/> (and the network hold
    /// whatever weights that head reads) until the returned object is disposed.</summary>
    IDisposable UseHead(Learner learner, string name);
}
