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
    public double Accuracy(Learner learner, ContinualTask task) => Score(learner, task, auroc: false).Accuracy;

    /// <summary>Test accuracy on <paramref name="task"/> and, when <paramref name="auroc"/>, the mean one-vs-rest AUROC of the softmax probabilities.</summary>
    public (double Accuracy, double? Auroc) Score(Learner learner, ContinualTask task, bool auroc)
    {
        var test = Subset(task.Test, Options.TestSubset);
        var loader = new DataLoader(test, Options.BatchSize, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false));
        int correct = 0;
        int head = task.Head ?? 0;
        var probabilities = new List<float>();
        var labels = new List<int>();
        int classes = 0;
        foreach (var batch in loader.Epoch())
        {
            var logits = learner.Predict(TrainingBatch.From(batch, head));
            var predicted = logits.ArgMax(1);
            for (int i = 0; i < batch.Count; i++) if (predicted[i] == batch.Labels[i]) correct++;
            if (!auroc) continue;
            classes = logits.Shape[1];
            probabilities.AddRange(F.Softmax(logits, 1).ToArray());
            labels.AddRange(batch.Labels.AsSpan(0, batch.Count).ToArray());
        }
        double? area = auroc ? Evaluation.Auroc.MeanOneVsRest(probabilities.ToArray(), labels.ToArray(), classes) : null;
        return ((double)correct / test.Count, area);
    }

    /// <summary>Row <paramref name="trainedThrough"/> of the accuracy matrix (and of the AUROC matrix when
    /// <see cref="EvaluationOptions.Auroc"/>) under the schedule: every task on a full row, otherwise tasks i and i+1 only (null elsewhere).</summary>
    public (double?[] Accuracy, double?[]? Auroc) Row(Learner learner, int trainedThrough)
    {
        int tasks = learner.Scenario.TaskCount;
        var row = new double?[tasks];
        var auroc = Options.Auroc ? new double?[tasks] : null;
        bool full = Options.IsFullRow(trainedThrough, tasks);
        for (int j = 0; j < tasks; j++)
            if (full || j == trainedThrough || j == trainedThrough + 1)
            {
                var score = Score(learner, learner.Scenario.GetTask(j), Options.Auroc);
                row[j] = score.Accuracy;
                if (auroc is not null) auroc[j] = score.Auroc;
            }
        return (row, auroc);
    }

    /// <summary>Accuracy of each of <paramref name="method"/>'s analysis heads on every task seen through
    /// <paramref name="trainedThrough"/>: <c>{head}_acc.j</c> per task and <c>{head}_acc</c>, their mean.</summary>
    public Dictionary<string, double> AnalysisHeads(Learner learner, IAnalysisHeads method, int trainedThrough)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string head in method.AnalysisHeads)
        {
            double sum = 0;
            using (method.UseHead(learner, head))
                for (int j = 0; j <= trainedThrough; j++)
                {
                    double accuracy = Accuracy(learner, learner.Scenario.GetTask(j));
                    values[$"{head}_acc.{j}"] = accuracy;
                    sum += accuracy;
                }
            values[$"{head}_acc"] = sum / (trainedThrough + 1);
        }
        return values;
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
