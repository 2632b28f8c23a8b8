using Lifelong.Tensors;
using Lifelong.Training;

namespace Lifelong.Tests.Runtime;

public class KnowledgeDistillationTests
{
    [Fact]
    public void Loss_is_T_squared_times_the_mean_KL_of_softened_distributions()
    {
        float[] s = [1, 2, 0, 0.5f, -1, 2];
        float[] t = [2, 0, 1, 0, 0, 1];
        const float temperature = 2;
        // By hand: p = softmax(t/T), q = softmax(s/T), KL = Σ p (ln p − ln q) per row, mean over 2 rows, × T².
        double expected = 0;
        for (int n = 0; n < 2; n++)
        {
            var p = Softmax(t.AsSpan(n * 3, 3), temperature);
            var q = Softmax(s.AsSpan(n * 3, 3), temperature);
            for (int c = 0; c < 3; c++) expected += p[c] * (Math.Log(p[c]) - Math.Log(q[c]));
        }
        expected = expected / 2 * temperature * temperature;
        var loss = KnowledgeDistillation.Loss(Tensor.FromArray(s, 2, 3), Tensor.FromArray(t, 2, 3), temperature);
        Assert.Equal(expected, loss.Item(), 5);
    }

    [Fact]
    public void Gradient_is_T_times_the_difference_of_softened_distributions_over_N()
    {
        // d/ds [T² · KL(p ‖ softmax(s/T))] = T · (q − p), averaged over the N = 1 row.
        var student = Tensor.FromArray([0.3f, -0.2f, 1.0f], 1, 3);
        student.RequiresGrad = true;
        float[] teacher = [1, 0, 0];
        KnowledgeDistillation.Loss(student, Tensor.FromArray(teacher, 1, 3), 3).Backward();
        var p = Softmax(teacher, 3);
        var q = Softmax([0.3f, -0.2f, 1.0f], 3);
        for (int c = 0; c < 3; c++) Assert.Equal(3 * (q[c] - p[c]), student.Grad![0, c], 5);
    }

    [Fact]
    public void Identical_logits_give_zero_loss()
    {
        var logits = Tensor.FromArray([1, 2, 3, 4, 5, 6], 2, 3);
        Assert.Equal(0, KnowledgeDistillation.Loss(logits, logits.Clone()).Item(), 6);
    }

    private static double[] Softmax(ReadOnlySpan<float> logits, float temperature)
    {
        var e = new double[logits.Length];
        for (int i = 0; i < e.Length; i++) e[i] = Math.Exp(logits[i] / temperature);
        double sum = e.Sum();
        return [.. e.Select(v => v / sum)];
    }
}
