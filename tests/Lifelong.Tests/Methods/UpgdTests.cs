using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Methods;

public class UpgdTests
{
    private static Learner SgdLearner(IReadOnlyList<ContinualMethod> methods, float lr = 0.1f, int steps = 6)
    {
        var scenario = TinyRuns.Permuted(tasks: 3, steps: steps);
        var rng = new Rng(7);
        var network = new Mlp([784, 16, 10], rng.Split("init"));
        return new Learner(scenario, new ContinualModel(network, 10), new Sgd(network.Parameters(), lr: lr), methods, rng, flatInputs: true);
    }

    [Fact]
    public void Runs_on_two_tiny_tasks()
    {
        var result = new Runs.Trainer(SgdLearner([new Upgd(new UpgdOptions())]), TinyRuns.Evaluator()).Run();
        Assert.True(double.IsFinite(result.Summary.TotalOnlineAccuracy));
    }

    [Fact]
    public void One_step_is_the_utility_gated_perturbed_sgd_update()
    {
        const float lr = 0.1f, beta = 0.9f, sigma = 0.01f, decay = 0.001f;
        var upgd = SgdLearner([new Upgd(new UpgdOptions(beta, sigma, decay))], lr);
        var twin = SgdLearner([new Finetune()], lr);   // same init and batch, plain gradient
        foreach (var l in new[] { upgd, twin }) { l.BeginRun(); l.BeginTask(l.Scenario.GetTask(0)); }
        var theta = MethodRuns.Values(twin.Network);
        twin.Step(twin.NextBatch());
        // SGD: θ₁ = θ − lr·g, so g = (θ − θ₁)/lr for the twin.
        var after = MethodRuns.Values(twin.Network);
        upgd.Step(upgd.NextBatch());

        // Step 1: u = (1 − β)(−g⊙θ), û = u/(1 − β) = −g⊙θ, ū = sigmoid(û / max u).
        var names = theta.Keys.ToList();
        var g = names.ToDictionary(n => n, n => theta[n].Zip(after[n], (t, t1) => (t - t1) / lr).ToArray());
        float max = names.SelectMany(n => g[n].Zip(theta[n], (gi, ti) => (1 - beta) * -gi * ti)).Max();
        var noiseRng = upgd.Rng.Split(Upgd.MethodName);
        foreach (var n in names)
        {
            var xi = new float[g[n].Length];
            noiseRng.FillNormal(xi, 0f, sigma);
            var actual = upgd.Network.NamedParameters().First(p => p.Name == n).Parameter.ToArray();
            for (int i = 0; i < xi.Length; i++)
            {
                float scaled = 1f / (1f + MathF.Exp(-(-g[n][i] * theta[n][i]) / max));
                float expected = theta[n][i] * (1 - lr * decay) - lr * (g[n][i] + xi[i]) * (1 - scaled);
                Assert.Equal(expected, actual[i], 4);
            }
        }
    }

    [Fact]
    public void Refuses_an_optimizer_other_than_plain_sgd()
    {
        var learner = TinyRuns.Learner(TinyRuns.Permuted(), [new Upgd(new UpgdOptions())]);
        Assert.Contains("sgd", Assert.Throws<ArgumentException>(learner.BeginRun).Message);
    }

    [Fact]
    public void An_interrupted_run_resumes_exactly() => MethodRuns.AssertResumesExactly(() => SgdLearner([new Upgd(new UpgdOptions())], steps: 8), steps: 8);
}
