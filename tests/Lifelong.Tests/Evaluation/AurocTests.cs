using Lifelong.Evaluation;
using Lifelong.Tensors;

namespace Lifelong.Tests.Evaluation;

public class AurocTests
{
    /// <summary>The definition: over all (positive, negative) pairs, 1 when the positive scores higher, ½ on a tie.</summary>
    private static double PairwiseMean(float[] scores, int[] labels, int classes)
    {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++)
        {
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < labels.Length; i++)
                for (int j = 0; j < labels.Length; j++)
                    if (labels[i] == c && labels[j] != c)
                    {
                        float a = scores[i * classes + c], b = scores[j * classes + c];
                        wins += a > b ? 1 : a == b ? 0.5 : 0;
                        pairs++;
                    }
            if (pairs > 0) (sum, counted) = (sum + wins / pairs, counted + 1);
        }
        return sum / counted;
    }

    [Theory]
    [InlineData(1UL, 40, 3, 1.0f)]
    [InlineData(2UL, 57, 5, 0.25f)]   // coarse scores: many ties
    public void Matches_the_pairwise_definition(ulong seed, int n, int classes, float grain)
    {
        var rng = new Rng(seed);
        var labels = Enumerable.Range(0, n).Select(_ => (int)(rng.NextFloat() * classes)).ToArray();
        var scores = Enumerable.Range(0, n * classes).Select(i => MathF.Round(rng.NextFloat() / grain) * grain + (labels[i / classes] == i % classes ? 0.3f : 0f)).ToArray();
        Assert.Equal(PairwiseMean(scores, labels, classes), Auroc.MeanOneVsRest(scores, labels, classes), 12);
    }

    [Fact]
    public void Perfect_and_reversed_scores_give_one_and_zero_and_a_class_without_negatives_is_left_out()
    {
        int[] labels = [0, 1, 0, 1];
        Assert.Equal(1.0, Auroc.MeanOneVsRest([0.9f, 0.1f, 0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f], labels, 2));
        Assert.Equal(0.0, Auroc.MeanOneVsRest([0.1f, 0.9f, 0.9f, 0.1f, 0.2f, 0.8f, 0.7f, 0.3f], labels, 2));
        Assert.True(double.IsNaN(Auroc.MeanOneVsRest([0.5f, 0.5f], [0, 0], 1)));
    }
}
