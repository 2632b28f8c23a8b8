using Lifelong.Scenarios;

namespace Lifelong.Training;

/// <summary>A continual-learning method: additive hooks around the <see cref="Learner"/>'s one training step.</summary>
/// <remarks>
/// <para>Every hook has a do-nothing default, so a method overrides only what its paper changes: a regularizer adds a
/// <see cref="Loss"/>, replay adds <see cref="ExtraSamples"/>, LwF and DER give <see cref="Distillation"/> targets, Shrink
/// &amp; Perturb, ReDo and Continual Backprop operate in <see cref="AfterStep"/>, EWC computes its Fisher in
/// <see cref="OnTaskEnd"/>. Several methods compose in one run; each hook is called on every method in the order they
/// were given (<c>l2init+replay</c>: L2 Init first).</para>
/// <para>The order within a step: <see cref="ExtraSamples"/> → forward → <see cref="Loss"/> and <see cref="Distillation"/>
/// → backward → <see cref="BeforeStep"/> (gradients are ready; A-GEM projects them here) → optimizer step →
/// <see cref="AfterStep"/>. Around the steps of a task: <see cref="TrainingData"/> → <see cref="OnTaskStart"/> → steps →
/// <see cref="OnTaskEnd"/>. <see cref="OnRunStart"/> runs once, before the first task (not again when a run resumes:
/// the state it built comes back through <see cref="LoadState"/>).</para>
/// <para>Methods that cannot be expressed as hooks (SoTU, DEN, MAML, joint retraining from scratch) set
/// <see cref="OwnsLoop"/> and implement <see cref="TrainTask"/>; they may still call <see cref="Learner.Step"/> so
/// that the other methods' hooks run. At most one method in a run may own the loop.</para>
/// </remarks>
public abstract class ContinualMethod
{
    /// <summary>The method's command-line name (<c>l2init</c>); the class's <c>Name</c> constant.</summary>
    public abstract string Name { get; }

    /// <summary>Checks that the method can run with this learner (its scenario, model, optimizer and the other methods) and
    /// throws an <see cref="ArgumentException"/> that says what to change otherwise. Called when a run is built, before
    /// anything is trained or written.</summary>
    public virtual void Validate(Learner learner) { }

    /// <summary>Once, before the first task: snapshot θ₀, size buffers.</summary>
    public virtual void OnRunStart(Learner learner) { }

    /// <summary>The data to train task <paramref name="task"/> on; null keeps the task's own training set.</summary>
    /// <remarks>Joint training returns every task seen so far. The first method that returns data wins.</remarks>
    public virtual TaskData? TrainingData(Learner learner, ContinualTask task) => null;

    /// <summary>At the start of each task, before its first step.</summary>
    public virtual void OnTaskStart(Learner learner, ContinualTask task) { }

    /// <summary>Samples to train on together with the incoming batch (replay); they are appended after its rows.</summary>
    public virtual TrainingBatch? ExtraSamples(Learner learner, TrainingBatch incoming) => null;

    /// <summary>A term added to the step's loss (a regularizer); null adds nothing.</summary>
    public virtual Tensor? Loss(Learner learner, StepContext step) => null;

    /// <summary>Targets the model's outputs are pulled toward (knowledge distillation); null adds nothing.</summary>
    public virtual DistillationTarget? Distillation(Learner learner, StepContext step) => null;

    /// <summary>After backward, before the optimizer step: every parameter's <c>Grad</c> is set.</summary>
    public virtual void BeforeStep(Learner learner, StepContext step) { }

    /// <summary>After the optimizer step: parameter surgery (resets, perturbations), buffer updates.</summary>
    public virtual void AfterStep(Learner learner, StepContext step) { }

    /// <summary>After the last step of a task: importance weights, anchors, snapshots.</summary>
    public virtual void OnTaskEnd(Learner learner, ContinualTask task) { }

    /// <summary>The logits the run is evaluated with, when the method classifies with a head of its own (a training-free
    /// prototype or ridge head on backbone features); null leaves it to the model. The first method that answers wins.</summary>
    /// <remarks>Called in evaluation mode without a graph (<see cref="Learner.Predict"/>).</remarks>
    /// <returns>(N, Classes) logits on each sample's head, or null.</returns>
    public virtual Tensor? Predict(Learner learner, TrainingBatch batch) => null;

    /// <summary>Method-specific measurements after a task (SoTU's collision rate, DEN's units per layer), recorded with the
    /// task's probes in the result (<c>probes[t].method</c>) and in <c>metrics.jsonl</c>; null records nothing.</summary>
    public virtual IReadOnlyDictionary<string, double>? Diagnostics(Learner learner) => null;

    /// <summary>True when the method reads <see cref="StepContext.Hidden"/>: the step's forward pass then also returns every
    /// hidden layer's activations (for models with <see cref="NN.IHiddenFeatures"/>), at no extra forward pass.</summary>
    public virtual bool NeedsHiddenFeatures => false;

    /// <summary>True when the method trains each task itself through <see cref="TrainTask"/>.</summary>
    public virtual bool OwnsLoop => false;

    /// <summary>Trains <paramref name="task"/> (only called when <see cref="OwnsLoop"/>).</summary>
    public virtual void TrainTask(Learner learner, ContinualTask task) =>
        throw new NotSupportedException($"Method '{Name}' does not own the training loop.");

    /// <summary>False when the method's state in the middle of a task cannot be saved (DEN's stages), so the trainer
    /// checkpoints it at task boundaries only; a run interrupted mid-task then resumes from the task's start.</summary>
    public virtual bool SupportsMidTaskCheckpoint => true;

    /// <summary>Writes everything the method needs to continue after a resume (anchors, Fisher, buffers, RNG states).</summary>
    public virtual void SaveState(MethodState state, Learner learner) { }

    /// <summary>Restores what <see cref="SaveState"/> wrote; called instead of <see cref="OnRunStart"/> when a run resumes.</summary>
    public virtual void LoadState(MethodState state, Learner learner) { }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
