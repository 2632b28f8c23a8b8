using System.Diagnostics;
using System.Globalization;
using Lifelong.Meta;
using Lifelong.NN;
using Lifelong.Tensors;

// Finn et al. 2017, §5.1 / Table 2: 2×40 ReLU MLP; meta-train with K = 10, one inner step, α = 0.01, meta-batch 25,
// Adam 1e-3, 70,000 iterations; evaluate on 600 new tasks with K = 5 after 1, 5 and 10 steps (95 % intervals).
// The pretrained baseline is trained on the same tasks' points jointly and fine-tuned the same way.
// usage: dotnet run --project examples/MamlSinusoid -c Release -- [iterations] [first-order: true|false]
int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 70_000;
bool firstOrder = args.Length > 1 && bool.Parse(args[1]);
const int metaBatch = 25;
var rng = new Rng(0);
var metaModel = new Mlp([1, 40, 40, 1], rng.Split("maml"));
var maml = new Maml(metaModel, new Adam(metaModel.Parameters(), lr: 1e-3), new MamlOptions(InnerLr: 0.01f, FirstOrder: firstOrder));
var pretrainedModel = new Mlp([1, 40, 40, 1], rng.Split("pretrained"));
var pretrain = new Adam(pretrainedModel.Parameters(), lr: 1e-3);
var taskRng = rng.Split("tasks");
var clock = Stopwatch.StartNew();
for (int it = 1; it <= iterations; it++)
{
    var tasks = Enumerable.Range(0, metaBatch).Select(_ => Sinusoid.Sample(taskRng)).ToList();
    float loss = maml.Step(tasks);
    pretrain.ZeroGrad();
    (tasks.Select(t => F.Mse(pretrainedModel.Forward(t.SupportX), t.SupportY)).Aggregate((a, b) => a + b) * (1f / metaBatch)).Backward();
    pretrain.Step();
    if (it % 10_000 == 0) Console.WriteLine($"iteration {it}: meta-loss {loss:F3} ({clock.Elapsed.TotalSeconds:F0} s)");
}
var pretrained = new Maml(pretrainedModel, new Sgd(pretrainedModel.Parameters(), lr: 0), new MamlOptions(InnerLr: 0.01f));
var testRng = new Rng(12345);
var test = Enumerable.Range(0, 600).Select(_ => Sinusoid.Sample(testRng, support: 5, query: 100)).ToList();
Console.WriteLine($"\n{(firstOrder ? "FOMAML" : "MAML")}, {iterations} iterations, 600 test tasks, K = 5 (MSE, mean ± 95 % interval)");
Console.WriteLine("steps   meta-learned          pretrained");
foreach (int steps in new[] { 1, 5, 10 })
{
    string Cell(Maml m)
    {
        var mse = test.Select(t => (double)m.Evaluate(t, steps)).ToList();
        double mean = mse.Average(), std = Math.Sqrt(mse.Sum(v => (v - mean) * (v - mean)) / (mse.Count - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F3} ± {1.96 * std / Math.Sqrt(mse.Count):F3}");
    }
    Console.WriteLine($"{steps,5}   {Cell(maml),-20}  {Cell(pretrained)}");
}
