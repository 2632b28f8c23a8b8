namespace Lifelong.Evaluation;

/// <summary>The area under the ROC curve, one class against the rest, averaged over classes — the metric DEN reports.</summary>
public static class Auroc
{
    /// <summary>Mean over classes of the one-vs-rest AUROC of <paramref name="scores"/> (N × classes, e.g. softmax
    /// probabilities). A class with no positive or no negative sample has no AUROC and is left out; NaN when none has one.</summary>
    /// <remarks>Each class's AUROC is the Mann–Whitney statistic: the probability that a random positive scores above a
    /// random negative, ties counting one half (average ranks), computed in O(N log N).</remarks>
    public static double MeanOneVsRest(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels, int classes)
    {
        int n = labels.Length;
        if (scores.Length != n * classes) throw new ArgumentException($"Auroc: {scores.Length} scores for {n} samples × {classes} classes.", nameof(scores));
        double sum = 0;
        int counted = 0;
        var column = new float[n];
        var order = new int[n];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < n; i++) (column[i], order[i]) = (scores[i * classes + c], i);
            if (OneClass(column, order, labels, c) is { } area)
            {
                sum += area;
                counted++;
            }
        }
        return counted == 0 ? double.NaN : sum / counted;
    }

    private static double? OneClass(float[] score, int[] order, ReadOnlySpan<int> labels, int positive)
    {
        long positives = 0;
        foreach (int label in labels) if (label == positive) positives++;
        long negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return null;
        Array.Sort((float[])score.Clone(), order);
        double rankSum = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && score[order[end + 1]] == score[order[start]]) end++;
            double rank = (start + end) / 2.0 + 1;   // average rank of the tie group, 1-based
            for (int k = start; k <= end; k++) if (labels[order[k]] == positive) rankSum += rank;
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
