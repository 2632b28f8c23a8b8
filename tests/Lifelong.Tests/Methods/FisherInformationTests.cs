using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.ForgettingMethods;

public class FisherInformationTests
{
    // A linear softmax model z = W x + b with C = 3 classes and 2 inputs. For one sample,
    // ∂ log p_c / ∂z = e_c − p, so ∂ log p_c / ∂W = (e_c − p) xᵀ and ∂ log p_c / ∂b = e_c − p.
    // Exact Fisher: F = mean over samples of Σ_c p_c · (that gradient)²; empirical: the same at c = y only.
    private static readonly float[][] Inputs = [[1f, -2f], [0.5f, 0.25f], [-1f, 3f]];
    private static readonly int[] Labels = [2, 0, 1];

    [Theory]
    [InlineData(FisherLabels.Exact)]
    [InlineData(FisherLabels.Empirical)]
    public void The_diagonal_Fisher_equals_per_sample_squared_gradients_averaged_by_hand(FisherLabels labels)
    {
        var linear = new Linear(2, 3, new Rng(5));
        var model = new ContinualModel(linear, classes: 3);
        var samples = Inputs.Select((x, n) => new TrainingBatch(x, [1, 2], [Labels[n]], [0])).ToList();

        var fisher = FisherInformation.Diagonal(model, samples, labels, new Rng(1));

        var w = linear.Weight.ToArray();
        var b = linear.Bias!.ToArray();
        var expectedW = new double[6];
        var expectedB = new double[3];
        for (int n = 0; n < Inputs.Length; n++)
        {
            var x = Inputs[n];
            var z = Enumerable.Range(0, 3).Select(c => w[c * 2] * x[0] + w[c * 2 + 1] * x[1] + b[c]).Select(v => (double)v).ToArray();
            double max = z.Max(), norm = z.Sum(v => Math.Exp(v - max));
            var p = z.Select(v => Math.Exp(v - max) / norm).ToArray();
            for (int c = 0; c < 3; c++)
            {
                double weight = labels == FisherLabels.Exact ? p[c] : c == Labels[n] ? 1 : 0;
                for (int k = 0; k < 3; k++)
                {
                    double dz = (k == c ? 1 : 0) - p[k];
                    expectedB[k] += weight * dz * dz / Inputs.Length;
                    for (int i = 0; i < 2; i++) expectedW[k * 2 + i] += weight * dz * x[i] * dz * x[i] / Inputs.Length;
                }
            }
        }
        var actualW = fisher[linear.Weight].ToArray();
        var actualB = fisher[linear.Bias!].ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal(expectedW[i], actualW[i], 5);
        for (int k = 0; k < 3; k++) Assert.Equal(expectedB[k], actualB[k], 5);
    }

    [Fact]
    public void The_sampled_Fisher_averages_to_the_exact_one()
    {
        var linear = new Linear(2, 3, new Rng(5));
        var model = new ContinualModel(linear, classes: 3);
        var samples = Enumerable.Range(0, 2000).Select(n => new TrainingBatch(Inputs[n % 3], [1, 2], [Labels[n % 3]], [0])).ToList();
        var exact = FisherInformation.Diagonal(model, samples.Take(3), FisherLabels.Exact, new Rng(1))[linear.Bias!].ToArray();
        var sampled = FisherInformation.Diagonal(model, samples, FisherLabels.Sample, new Rng(1))[linear.Bias!].ToArray();
        for (int k = 0; k < 3; k++) Assert.Equal(exact[k], sampled[k], 1);
    }

    [Fact]
    public void A_combined_ewc_penalty_has_the_gradient_of_one_penalty_per_task()
    {
        var perTask = TinyRuns.Learner(TinyRuns.Permuted(tasks: 3, steps: 5), [new Ewc(new EwcOptions(Samples: 20))]);
        var combined = TinyRuns.Learner(TinyRuns.Permuted(tasks: 3, steps: 5), [new Ewc(new EwcOptions(Samples: 20, Penalty: EwcPenalty.Combined))]);
        var gradients = new List<float[]>();
        foreach (var learner in new[] { perTask, combined })
        {
            learner.BeginRun();
            for (int t = 0; t < 2; t++)
            {
                learner.BeginTask(learner.Scenario.GetTask(t));
                learner.TrainTask();
                learner.EndTask();
            }
            learner.BeginTask(learner.Scenario.GetTask(2));
            learner.Step(learner.NextBatch());
            var penalty = learner.Methods[0].Loss(learner, null!)!;
            gradients.Add([.. Autograd.Grad(penalty, [.. learner.Network.Parameters()]).SelectMany(g => g.ToArray())]);
        }
        Assert.Equal(2, ((Ewc)perTask.Methods[0]).Penalties.Count);
        Assert.Single(((Ewc)combined.Methods[0]).Penalties);
        double scale = gradients[0].Max(MathF.Abs);
        for (int i = 0; i < gradients[0].Length; i++) Assert.True(Math.Abs(gradients[0][i] - gradients[1][i]) <= 1e-4 * scale + 1e-6, $"gradient {i}: {gradients[0][i]} vs {gradients[1][i]}");
    }
}
