using Lifelong.Data;
using Lifelong.Scenarios;
using Lifelong.Training;

namespace Lifelong.Methods;

/// <summary>Samples of a task's training set as the model sees them (normalised, flattened when the model is an MLP, not augmented).</summary>
internal static class TaskSamples
{
    /// <summary>Up to <paramref name="count"/> training samples of <paramref name="task"/> in a random order, in batches of at most <paramref name="batchSize"/>.</summary>
    public static IEnumerable<TrainingBatch> Draw(Learner learner, ContinualTask task, int count, Rng rng, int batchSize = 64)
    {
        var data = task.Train;
        count = count <= 0 ? data.Count : Math.Min(count, data.Count);
        var loader = new DataLoader(data, batchSize, rng, learner.LoaderOptions(shuffle: true, augment: false));
        int head = task.Head ?? 0;
        foreach (var batch in loader.Epoch())
        {
            if (count <= 0) yield break;
            var rows = TrainingBatch.From(batch, head);
            if (rows.Count > count) rows = rows.Slice(0, count);
            count -= rows.Count;
            yield return rows;
        }
    }

    /// <summary>The rows of <paramref name="batches"/> one at a time.</summary>
    public static IEnumerable<TrainingBatch> OneByOne(IEnumerable<TrainingBatch> batches)
    {
        foreach (var batch in batches)
            for (int i = 0; i < batch.Count; i++) yield return batch.Slice(i, 1);
    }
}
