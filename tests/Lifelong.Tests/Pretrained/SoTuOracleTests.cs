using Lifelong.Data;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Pretrained;

/// <summary>SoTU's analysis heads (<see cref="SoTuOptions.Oracle"/>): the oracle head refitted on every seen task with the
/// current merged features, and the head fitted on θ₀'s features.</summary>
public class SoTuOracleTests
{
    private static ClassSplit ThreeTasks() =>
        new(TestData.Mnistlike(trainPerClass: 20, testPerClass: 5), [[0, 1], [2, 3], [4, 5]], SplitFlavour.ClassIncremental, 5, new ClassSplitOptions(Steps: 6, BatchSize: 8));

    /// <summary>Every task's test images as one batch (labels unused).</summary>
    private static TrainingBatch TestBatch(Learner learner)
    {
        var inputs = Enumerable.Range(0, learner.Scenario.TaskCount).SelectMany(t => Batches(learner, learner.Scenario.GetTask(t).Test).SelectMany(b => b.Inputs)).ToArray();
        int n = inputs.Length / 784;
        return new TrainingBatch(inputs, [n, 784], new int[n], new int[n]);
    }

    private static IEnumerable<TrainingBatch> Batches(Learner learner, Dataset data) =>
        new DataLoader(data, 1_000, new Rng(0), learner.LoaderOptions(shuffle: false, augment: false)).Epoch().Select(b => TrainingBatch.From(b, 0));

    /// <summary>Class means of every task's whole training set, with the network as it is now.</summary>
    private static PrototypeHead PrototypesFromScratch(Learner learner)
    {
        var head = new PrototypeHead(learner.Model.Classes);
        for (int t = 0; t < learner.Scenario.TaskCount; t++)
            foreach (var batch in Batches(learner, learner.Scenario.GetTask(t).Train))
                head.Observe(Backbone.Features(learner.Network, batch), Backbone.Slots(learner.Model, batch));
        return head;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToArray(), actual.ToArray());
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) < 1e-5, $"logit {i}: {a[i]} vs {e[i]}");
    }

    [Theory]
    [InlineData(HeadKind.Prototype)]
    [InlineData(HeadKind.RanPac)]
    public void With_a_zero_coefficient_the_merge_is_theta0_and_the_online_oracle_and_frozen_heads_score_alike(HeadKind head)
    {
        var sotu = new SoTu(new SoTuOptions(Keep: 0.5, Coefficient: 0f, Head: head, Projection: 16, Oracle: OracleSchedule.Every));
        var result = new Trainer(TinyRuns.Learner(ThreeTasks(), [sotu]), TinyRuns.Evaluator()).Run();

        for (int t = 0; t < 3; t++)
        {
            var diagnostics = result.Probes[t].Method!;
            for (int j = 0; j <= t; j++)
            {
                Assert.Equal(result.AccuracyMatrix[t][j], diagnostics[$"oracle_acc.{j}"]);
                Assert.Equal(result.AccuracyMatrix[t][j], diagnostics[$"frozen_acc.{j}"]);
            }
            Assert.False(diagnostics.ContainsKey($"oracle_acc.{t + 1}"));   // unseen tasks are not scored
            Assert.Equal(Enumerable.Range(0, t + 1).Average(j => result.AccuracyMatrix[t][j]!.Value), diagnostics["oracle_acc"], 12);
        }
    }

    [Theory]
    [InlineData(HeadKind.Prototype)]
    [InlineData(HeadKind.RanPac)]
    public void After_one_task_the_oracle_head_is_the_online_head(HeadKind head)
    {
        var sotu = new SoTu(new SoTuOptions(Keep: 0.5, Head: head, Projection: 16, Oracle: OracleSchedule.Every));
        var learner = TinyRuns.Learner(ThreeTasks(), [sotu]);
        learner.BeginRun();
        learner.BeginTask(learner.Scenario.GetTask(0));
        learner.TrainTask();
        learner.EndTask();
        var batch = TestBatch(learner);

        var online = learner.Predict(batch);
        Tensor oracle, frozen;
        using (sotu.UseHead(learner, "oracle")) oracle = learner.Predict(batch);
        using (sotu.UseHead(learner, "frozen")) frozen = learner.Predict(batch);

        Assert.Equal(online.ToArray(), oracle.ToArray());
        Assert.NotEqual(online.ToArray(), frozen.ToArray());   // the merge moved the features away from θ₀'s
    }

    [Fact]
    public void After_the_last_task_the_oracle_and_frozen_heads_are_prototypes_fitted_from_scratch_on_every_task()
    {
        var sotu = new SoTu(new SoTuOptions(Keep: 0.5, Oracle: OracleSchedule.Last));
        var learner = TinyRuns.Learner(ThreeTasks(), [sotu]);
        var theta0 = BackboneValues(learner.Network);
        var result = new Trainer(learner, TinyRuns.Evaluator()).Run();
        Assert.False(result.Probes[1].Method!.ContainsKey("oracle_acc"));   // scored after the last task only
        Assert.True(result.Probes[2].Method!.ContainsKey("frozen_acc.0"));
        var merged = BackboneValues(learner.Network);
        var batch = TestBatch(learner);
        var features = Backbone.Features(learner.Network, batch);

        AssertClose(PrototypesFromScratch(learner).Logits(features), sotu.OracleHead(learner).Logits(features));

        // The frozen head answers Predict with θ₀ in the network, and the merge comes back after.
        using (sotu.UseHead(learner, "frozen"))
        {
            Assert.Equal(theta0, BackboneValues(learner.Network));
            AssertClose(PrototypesFromScratch(learner).Logits(Backbone.Features(learner.Network, batch)), learner.Predict(batch));
        }
        Assert.Equal(merged, BackboneValues(learner.Network));

        // The online head's earlier prototypes were computed on older merges: it is not the oracle.
        Assert.NotEqual(learner.Predict(batch).ToArray(), sotu.OracleHead(learner).Logits(features).ToArray());
    }

    private static Dictionary<string, float[]> BackboneValues(Module network) =>
        network.NamedParameters().Where(p => !Backbone.IsHead(p.Name)).ToDictionary(p => p.Name, p => p.Parameter.ToArray());
}
