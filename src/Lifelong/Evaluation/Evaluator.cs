using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Evaluation;

/// <summary>Test accuracy per task (the rows of the accuracy matrix) and the representation probes.</summary>
public sealed class Evaluator(EvaluationOptions options)
{
    /// <summary>The options in force.</summary>
    public EvaluationOptions Options { get; } = options;

    /// <summary>Test accuracy of the learner's model on <paramref name="task"/>, on the task's head, in evaluation mode.</summary>
    public double Accuracy(Learner learner, ContinualTask task)
    {
        var test = Subset(task.Test, Options.TestSubset);
        var loader = new DataLoader(test, Options.BatchSize, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false));
        int correct = 0;
        int head = task.Head ?? 0;
        foreach (var batch in loader.Epoch())
        {
            var logits = learner.Predict(TrainingBatch.From(batch, head));
            var predicted = logits.ArgMax(1);
            for (int i = 0; i < batch.Count; i++) if (predicted[i] == batch.Labels[i]) correct++;
        }
        return (double)correct / test.Count;
    }

    /// <summary>Row <paramref name="trainedThrough"/> of the accuracy matrix under the schedule: every task on a full row,
    /// otherwise tasks i and i+1 only (null elsewhere).</summary>
    public double?[] Row(Learner learner, int trainedThrough)
    {
        int tasks = learner.Scenario.TaskCount;
        var row = new double?[tasks];
        bool full = Options.IsFullRow(trainedThrough, tasks);
        for (int j = 0; j < tasks; j++)
            if (full || j == trainedThrough || j == trainedThrough + 1) row[j] = Accuracy(learner, learner.Scenario.GetTask(j));
        return row;
    }

    /// <summary>The accuracy of the model as it is now on every task (called before training: the random-init baseline of FWT).</summary>
    public double[] AllTasks(Learner learner) =>
        [.. Enumerable.Range(0, learner.Scenario.TaskCount).Select(j => Accuracy(learner, learner.Scenario.GetTask(j)))];

    /// <summary>Probes after training task <paramref name="task"/>: hidden-layer statistics on the probe data, |θ| and ‖θ − θ₀‖.</summary>
    /// <param name="learner">The learner whose network is probed.</param>
    /// <param name="task">The task just trained.</param>
    /// <param name="initial">θ₀, keyed by parameter.</param>
    public TaskProbe Probe(Learner learner, int task, IReadOnlyDictionary<Parameter, Tensor> initial)
    {
        var (magnitude, distance) = WeightStatistics(learner.Network, initial);
        return new TaskProbe(task, LayerProbes(learner, task), magnitude, distance);
    }

    private List<LayerProbe> LayerProbes(Learner learner, int task)
    {
        if (Options.Probe == ProbeData.None || learner.Network is not IHiddenFeatures features) return [];
        int tasks = learner.Scenario.TaskCount;
        int probeTask = Options.Probe == ProbeData.NextTask && task + 1 < tasks ? task + 1 : task;
        var data = Subset(learner.Scenario.GetTask(probeTask).Test, Options.ProbeSize);
        var loader = new DataLoader(data, data.Count, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false));
        var inputs = loader.Next().ToTensor();
        bool wasTraining = learner.Network.IsTraining;
        learner.Network.Eval();
        HiddenForward forward;
        try
        {
            using (Autograd.NoGrad()) forward = features.ForwardWithFeatures(inputs);
        }
        finally
        {
            learner.Network.Train(wasTraining);
        }
        var probes = new List<LayerProbe>();
        for (int l = 0; l < forward.Hidden.Count; l++)
        {
            var h = forward.Hidden[l];
            string name = features.HiddenLayerNames[l];
            probes.Add(h.Shape.Rank == 4
                ? RepresentationProbe.MeasureChannels(name, h.Span, h.Shape[0], h.Shape[1], h.Shape[2] * h.Shape[3], Options.DormantThreshold, Options.SrankDelta)
                : RepresentationProbe.Measure(name, h.Span, h.Shape[0], h.Size / h.Shape[0], Options.DormantThreshold, Options.SrankDelta));
        }
        return probes;
    }

    /// <summary>Mean |θ| over all parameters and ‖θ − θ₀‖₂, accumulated in double.</summary>
    public static (double Magnitude, double Distance) WeightStatistics(Module network, IReadOnlyDictionary<Parameter, Tensor> initial)
    {
        double absSum = 0, squaredDistance = 0;
        long count = 0;
        foreach (var parameter in network.Parameters())
        {
            var values = parameter.Span;
            var start = initial.TryGetValue(parameter, out var p0) ? p0.Span : default;
            for (int i = 0; i < values.Length; i++)
            {
                absSum += Math.Abs(values[i]);
                if (!start.IsEmpty)
                {
                    double d = values[i] - start[i];
                    squaredDistance += d * d;
                }
            }
            count += values.Length;
        }
        return (count == 0 ? 0 : absSum / count, Math.Sqrt(squaredDistance));
    }

    private static Dataset Subset(Dataset data, int? count) =>
        count is { } n && n < data.Count ? data.Select([.. Enumerable.Range(0, n)]) : data;
}
