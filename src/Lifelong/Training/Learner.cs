using Lifelong.Data;
using Lifelong.NN;
using Lifelong.Scenarios;

namespace Lifelong.Training;

/// <summary>The model, its optimizer and the composed methods, and the one training step they share.</summary>
/// <remarks>
/// A task is <see cref="BeginTask"/>, then <see cref="ContinualTask.Steps"/> calls of <see cref="Step"/> on the batches of
/// <see cref="NextBatch"/> (or the loop-owning method's <see cref="ContinualMethod.TrainTask"/>), then <see cref="EndTask"/>.
/// The <see cref="Runs.Trainer"/> drives this over a whole stream with evaluation; a user can also drive it by hand.
/// Randomness: the data order of task t comes from <c>rng.Split("data/t")</c>, each method's from <c>rng.Split(name)</c>.
/// </remarks>
public sealed class Learner
{
    private readonly ContinualMethod? _loopOwner;
    private readonly bool _needsHidden;
    private DataLoader? _loader;
    private int[] _loaderHeads = [];

    /// <summary>A learner training <paramref name="model"/> with <paramref name="optimizer"/> on <paramref name="scenario"/>.</summary>
    public Learner(Scenario scenario, ContinualModel model, Optimizer optimizer, IReadOnlyList<ContinualMethod> methods, Rng rng, bool flatInputs, LearnerOptions? options = null)
    {
        (Scenario, Model, Optimizer, Methods, Rng, FlatInputs) = (scenario, model, optimizer, methods, rng, flatInputs);
        Options = options ?? new LearnerOptions();
        var owners = methods.Where(m => m.OwnsLoop).ToList();
        if (owners.Count > 1)
            throw new ArgumentException($"Methods {string.Join(" and ", owners.Select(m => m.Name))} both own the training loop; combine at most one of them with hook methods.", nameof(methods));
        _loopOwner = owners.FirstOrDefault();
        _needsHidden = methods.Any(m => m.NeedsHiddenFeatures);
        var duplicate = methods.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Method '{duplicate.Key}' is given twice.", nameof(methods));
    }

    /// <summary>The task stream.</summary>
    public Scenario Scenario { get; }

    /// <summary>The model being trained.</summary>
    public ContinualModel Model { get; }

    /// <summary>The network inside <see cref="Model"/> (its parameters are what methods regularize).</summary>
    public Module Network => Model.Network;

    /// <summary>The optimizer over the network's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The composed methods, in the order their hooks run.</summary>
    public IReadOnlyList<ContinualMethod> Methods { get; }

    /// <summary>The run's root RNG; split it by name, never draw from it directly.</summary>
    public Rng Rng { get; }

    /// <summary>Whether the network takes flat (N, C·H·W) inputs (MLPs) rather than (N, C, H, W).</summary>
    public bool FlatInputs { get; }

    /// <summary>Data options.</summary>
    public LearnerOptions Options { get; }

    /// <summary>The task being trained, or the last one trained.</summary>
    public ContinualTask? CurrentTask { get; private set; }

    /// <summary>Steps taken in the current task.</summary>
    public int TaskStep { get; private set; }

    /// <summary>Steps taken over the run.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>Raised after every step with its context (logging, online accuracy).</summary>
    public event Action<StepContext>? StepCompleted;

    /// <summary>Options for loaders over this run's data (methods building their own loaders use them too).</summary>
    public DataLoaderOptions LoaderOptions(bool shuffle = true, bool augment = true) =>
        new(Shuffle: shuffle, Normalization: Options.Normalization, Transforms: augment ? Options.Transforms : null, Flatten: FlatInputs);

    /// <summary>Calls every method's <see cref="ContinualMethod.OnRunStart"/>; once per run, before the first task.</summary>
    public void BeginRun()
    {
        foreach (var method in Methods) method.OnRunStart(this);
    }

    /// <summary>Starts <paramref name="task"/>: picks its training data and loader, calls <see cref="ContinualMethod.OnTaskStart"/>.</summary>
    public void BeginTask(ContinualTask task)
    {
        PrepareTask(task);
        foreach (var method in Methods) method.OnTaskStart(this, task);
    }

    /// <summary>Starts <paramref name="task"/> for steps that bring their own inputs and loss (<see cref="StepOnLoss"/>:
    /// an agent entering a level): calls <see cref="ContinualMethod.OnTaskStart"/> without picking training data.</summary>
    public void BeginTaskWithoutData(ContinualTask task)
    {
        PrepareTaskWithoutData(task);
        foreach (var method in Methods) method.OnTaskStart(this, task);
    }

    /// <summary>Sets <paramref name="task"/> as current without data or hooks (also used on resume).</summary>
    internal void PrepareTaskWithoutData(ContinualTask task, int taskStep = 0)
    {
        CurrentTask = task;
        TaskStep = taskStep;
        _loader = null;
        _loaderHeads = [];
    }

    /// <summary>Sets <paramref name="task"/> as current with a fresh loader, without calling any hook (also used on resume).</summary>
    internal void PrepareTask(ContinualTask task, int taskStep = 0)
    {
        CurrentTask = task;
        TaskStep = taskStep;
        var data = Methods.Select(m => m.TrainingData(this, task)).FirstOrDefault(d => d is not null) ?? TaskData.OnHead(task.Train, task.Head ?? 0);
        if (data.Heads.Length != data.Data.Count)
            throw new InvalidOperationException($"Training data for {task}: {data.Heads.Length} head ids for {data.Data.Count} samples.");
        _loader = new DataLoader(data.Data, task.BatchSize, Rng.Split($"data/{task.Id}"), LoaderOptions());
        _loaderHeads = data.Heads;
    }

    /// <summary>The current task's loader (its position is part of a mid-task checkpoint).</summary>
    internal DataLoader Loader => _loader ?? throw new InvalidOperationException("No task has begun: call BeginTask first.");

    /// <summary>The next incoming batch of the current task, each sample tagged with its head.</summary>
    public TrainingBatch NextBatch()
    {
        var batch = Loader.Next();
        var heads = new int[batch.Count];
        for (int i = 0; i < heads.Length; i++) heads[i] = _loaderHeads[batch.Indices[i]];
        return new TrainingBatch(batch.Inputs, batch.Shape, batch.Labels, heads);
    }

    /// <summary>Trains the current task for its remaining steps, or hands it to the loop-owning method.</summary>
    public void TrainTask()
    {
        var task = CurrentTask ?? throw new InvalidOperationException("No task has begun: call BeginTask first.");
        if (_loopOwner is not null) _loopOwner.TrainTask(this, task);
        else
            while (TaskStep < task.Steps) Step(NextBatch());
    }

    /// <summary>One training step on <paramref name="incoming"/> with every method's hooks; returns what the step saw.</summary>
    public StepContext Step(TrainingBatch incoming)
    {
        Network.Train();
        var batch = incoming;
        foreach (var method in Methods)
            if (method.ExtraSamples(this, incoming) is { Count: > 0 } extra) batch = batch.Append(extra);

        var inputs = batch.ToTensor();
        var (logits, hidden) = _needsHidden ? Model.ForwardWithFeatures(inputs, batch.Heads) : (Model.Forward(inputs, batch.Heads), null);
        var taskLoss = F.CrossEntropy(logits, batch.Labels, Options.LabelSmoothing);
        var step = new StepContext(batch, incoming.Count, inputs, logits, taskLoss, TaskStep) { OnlineAccuracy = Accuracy(logits, batch.Labels, incoming.Count), Hidden = hidden };

        var total = taskLoss;
        foreach (var method in Methods)
        {
            if (method.Loss(this, step) is { } term) total = total + term;
            if (method.Distillation(this, step) is { } target) total = total + DistillationTerm(step, target);
        }
        step.TotalLoss = total;

        Optimizer.ZeroGrad();
        total.Backward();
        foreach (var method in Methods) method.BeforeStep(this, step);
        Optimizer.Step();
        foreach (var method in Methods) method.AfterStep(this, step);
        Completed(step);
        return step;
    }

    /// <summary>One training step on a loss the caller computes from the network's output, with every method's hooks: how an
    /// agent trains (PPO's clipped surrogate, DQN's TD error), so that a regularizer's term, unit recycling and every other
    /// hook act on the agent's network as they do on a classifier.</summary>
    /// <remarks>The network runs once on <paramref name="inputs"/> (with its hidden activations when a method needs them);
    /// <paramref name="taskLoss"/> turns the output into the step's loss, the methods' <see cref="ContinualMethod.Loss"/> terms
    /// are added, then backward, <see cref="ContinualMethod.BeforeStep"/>, <paramref name="beforeUpdate"/> (gradient clipping),
    /// the optimizer step and <see cref="ContinualMethod.AfterStep"/>. <see cref="ContinualMethod.ExtraSamples"/> and
    /// <see cref="ContinualMethod.Distillation"/> are not called: they are defined on labelled samples, which such a step has
    /// not. <see cref="StepContext.Batch"/> holds the inputs with label 0.</remarks>
    /// <param name="inputs">(N, ...) the step's inputs.</param>
    /// <param name="taskLoss">The loss from the network's (N, outputs) output, with its graph.</param>
    /// <param name="beforeUpdate">Run after every method's <see cref="ContinualMethod.BeforeStep"/>, just before the optimizer step.</param>
    public StepContext StepOnLoss(Tensor inputs, Func<Tensor, Tensor> taskLoss, Action? beforeUpdate = null)
    {
        Network.Train();
        int n = inputs.Shape[0];
        Tensor output;
        IReadOnlyList<Tensor>? hidden = null;
        if (_needsHidden && Network is IHiddenFeatures features)
        {
            var forward = features.ForwardWithFeatures(inputs);
            (output, hidden) = (forward.Output, forward.Hidden);
        }
        else output = Network.Forward(inputs);
        var loss = taskLoss(output);
        var batch = new TrainingBatch(inputs.ToArray(), inputs.Shape.ToArray(), new int[n], new int[n]);
        var step = new StepContext(batch, n, inputs, output, loss, TaskStep) { Hidden = hidden };
        var total = loss;
        foreach (var method in Methods)
            if (method.Loss(this, step) is { } term) total = total + term;
        step.TotalLoss = total;

        Optimizer.ZeroGrad();
        total.Backward();
        foreach (var method in Methods) method.BeforeStep(this, step);
        beforeUpdate?.Invoke();
        Optimizer.Step();
        foreach (var method in Methods) method.AfterStep(this, step);
        Completed(step);
        return step;
    }

    /// <summary>Counts a step that a loop-owning method took with its own update rule (DEN trains parameter subsets with
    /// its own optimizer), so that online accuracy, logging and the step counters see it like any other step.</summary>
    /// <param name="incoming">The batch the step trained on.</param>
    /// <param name="inputs">Its inputs as a tensor.</param>
    /// <param name="logits">The batch's logits before the update (the online prediction).</param>
    /// <param name="loss">The step's total loss.</param>
    public StepContext RecordStep(TrainingBatch incoming, Tensor inputs, Tensor logits, Tensor loss)
    {
        var step = new StepContext(incoming, incoming.Count, inputs, logits, loss, TaskStep)
        {
            OnlineAccuracy = Accuracy(logits, incoming.Labels, incoming.Count),
            TotalLoss = loss,
        };
        Completed(step);
        return step;
    }

    /// <summary>Whether a checkpoint may be taken in the middle of a task: false when a method keeps mid-task state it
    /// cannot save (<see cref="ContinualMethod.SupportsMidTaskCheckpoint"/>).</summary>
    public bool SupportsMidTaskCheckpoint => Methods.All(m => m.SupportsMidTaskCheckpoint);

    private void Completed(StepContext step)
    {
        TaskStep++;
        TotalSteps++;
        StepCompleted?.Invoke(step);
    }

    /// <summary>A step without an optimizer update, for a method that learns without gradients (a prototype or ridge head on a
    /// frozen backbone): the batch is consumed, counted and reported like a <see cref="Step"/>, so online accuracy, logs and
    /// mid-task checkpoints work the same. No other method's hooks run.</summary>
    /// <param name="incoming">The batch the method consumed.</param>
    /// <param name="logits">(N, Classes) the method's prediction on it before learning from it (its online accuracy).</param>
    public StepContext Observe(TrainingBatch incoming, Tensor logits) =>
        RecordStep(incoming, incoming.ToTensor(), logits, F.CrossEntropy(logits, incoming.Labels));

    /// <summary>Ends the current task: calls every method's <see cref="ContinualMethod.OnTaskEnd"/>.</summary>
    public void EndTask()
    {
        var task = CurrentTask ?? throw new InvalidOperationException("No task has begun: call BeginTask first.");
        foreach (var method in Methods) method.OnTaskEnd(this, task);
    }

    /// <summary>Logits of <paramref name="batch"/> on each sample's head, in evaluation mode without a graph: a method's own
    /// head when one answers <see cref="ContinualMethod.Predict"/>, else the model's.</summary>
    public Tensor Predict(TrainingBatch batch)
    {
        bool wasTraining = Network.IsTraining;
        Network.Eval();
        try
        {
            using (Autograd.NoGrad())
            {
                foreach (var method in Methods)
                    if (method.Predict(this, batch) is { } logits) return logits;
                return Model.Forward(batch.ToTensor(), batch.Heads);
            }
        }
        finally
        {
            Network.Train(wasTraining);
        }
    }

    /// <summary>Restores the step counters of a resumed run.</summary>
    internal void RestoreCounters(long totalSteps) => TotalSteps = totalSteps;

    private Tensor DistillationTerm(StepContext step, DistillationTarget target)
    {
        var student = target.Samples is { } samples ? Model.Forward(samples.ToTensor(), samples.Heads) : step.Logits.Slice(0, 0, step.IncomingCount);
        var teacher = target.TeacherLogits.Detach();
        if (student.Shape != teacher.Shape)
            throw new InvalidOperationException($"Distillation: student logits {student.Shape} and teacher logits {teacher.Shape} differ.");
        var term = target.Loss switch
        {
            DistillationLoss.LogitMse => F.Mse(student, teacher),
            _ => KnowledgeDistillation.Loss(student, teacher, target.Temperature),
        };
        return term * target.Weight;
    }

    private static double Accuracy(Tensor logits, int[] labels, int count)
    {
        if (count == 0) return 0;
        var span = logits.Span;
        int classes = logits.Shape[1], correct = 0;
        for (int i = 0; i < count; i++)
        {
            var row = span.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return (double)correct / count;
    }
}
