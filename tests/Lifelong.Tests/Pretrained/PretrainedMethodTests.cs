using Lifelong.Data;
using Lifelong.Methods;
using Lifelong.NN;
using Lifelong.Pretrained;
using Lifelong.Results;
using Lifelong.Runs;
using Lifelong.Scenarios;
using Lifelong.Tensors;
using Lifelong.Tests.Methods;
using Lifelong.Tests.Runtime;
using Lifelong.Training;

namespace Lifelong.Tests.Pretrained;

/// <summary>SoTU, SimpleCIL and RanPAC on tiny streams: they run, resume bit for bit, and do what their loop promises.</summary>
public class PretrainedMethodTests
{
    [Theory]
    [InlineData("sotu")]
    [InlineData("sotu:selection=magnitude,groups=units,keep=0.5,rescale=false")]
    [InlineData("sotu:head=ran-pac,projection=16")]
    [InlineData("sotu:oracle=every")]
    [InlineData("simplecil")]
    [InlineData("ranpac:projection=16")]
    public void Runs_on_two_tiny_tasks(string spec)
    {
        var result = MethodRuns.Smoke(spec);
        Assert.All(result.AccuracyMatrix[^1], a => Assert.InRange(a!.Value, 0, 1));
    }

    [Theory]
    [InlineData("sotu")]
    [InlineData("sotu:groups=units,keep=0.5,keep-growth=1.5")]
    [InlineData("sotu:head=ran-pac,projection=16,oracle=every")]
    [InlineData("simplecil")]
    [InlineData("ranpac:projection=16")]
    public void An_interrupted_and_resumed_run_equals_an_uninterrupted_one(string spec) => MethodRuns.AssertResumesExactly(spec);

    [Fact]
    public void After_each_task_the_network_holds_theta0_plus_the_sum_of_masked_deltas_and_the_initial_head()
    {
        var sotu = new SoTu(new SoTuOptions(Keep: 0.3, Coefficient: 0.5f));
        var learner = TinyRuns.Learner(TinyRuns.Permuted(3, 6), [sotu]);
        var initial = learner.Network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        var result = new Trainer(learner, TinyRuns.Evaluator()).Run();

        foreach (var (name, parameter) in learner.Network.NamedParameters())
        {
            var actual = parameter.ToArray();
            if (Backbone.IsHead(name))
            {
                Assert.Equal(initial[name], actual);
                continue;
            }
            for (int i = 0; i < actual.Length; i++)
            {
                float sum = 0f;
                foreach (var masked in sotu.MaskedDeltas) sum += 0.5f * masked[name].Span[i];
                Assert.Equal(initial[name][i] + sum, actual[i]);
            }
        }
        Assert.Equal(3, sotu.MaskedDeltas.Count);
        var diagnostics = result.Probes[^1].Method!;
        Assert.Equal(DeltaDiagnostics.ExpectedCollisionRate([0.3, 0.3, 0.3]), diagnostics["collision_rate_random"], 12);
        Assert.InRange(diagnostics["collision_rate"], 0.1, 0.5);   // expected 0.338 on ~12,800 coordinates
        Assert.InRange(diagnostics["kept_fraction"], 0.25, 0.35);
        Assert.True(diagnostics.ContainsKey("mean_pairwise_cosine"));
        Assert.False(result.Probes[0].Method!.ContainsKey("mean_pairwise_cosine"));   // needs two tasks
    }

    [Fact]
    public void Attention_scope_on_a_vit_tunes_and_merges_only_attention_and_head_masks_keep_whole_heads()
    {
        var scenario = new ClassSplit(TestData.Mnistlike(trainPerClass: 10, testPerClass: 4), [[0, 1], [2, 3]], SplitFlavour.ClassIncremental, 5, new ClassSplitOptions(Steps: 3, BatchSize: 8));
        var rng = new Rng(3);
        var vit = new Vit(new VitOptions(ImageSize: 28, PatchSize: 7, InChannels: 1, Dim: 16, Depth: 1, Heads: 2, MlpRatio: 2, ClassToken: true, Classes: 4), rng.Split("init"));
        // Magnitude selection keeps exactly one of the two heads per task, so every attention tensor changes.
        var sotu = new SoTu(new SoTuOptions(Keep: 0.5, Scope: TuneScope.Attention, Groups: MaskGroups.Heads, Selection: MaskSelection.Magnitude));
        var learner = new Learner(scenario, new ContinualModel(vit, 4), new Adam(vit.Parameters(), lr: 1e-2), [sotu], rng, flatInputs: false);
        var initial = vit.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        new Trainer(learner, TinyRuns.Evaluator()).Run();

        foreach (var (name, parameter) in vit.NamedParameters())
            if (name.Contains(".attn.", StringComparison.Ordinal)) Assert.NotEqual(initial[name], parameter.ToArray());
            else Assert.Equal(initial[name], parameter.ToArray());
        // A head's 8 columns of attn.proj.weight are kept or dropped together in each task's delta.
        foreach (var masked in sotu.MaskedDeltas)
        {
            var proj = masked["blocks.0.attn.proj.weight"].ToArray();
            for (int head = 0; head < 2; head++)
            {
                var columns = Enumerable.Range(0, proj.Length).Where(i => i % 16 / 8 == head).Select(i => proj[i]).ToList();
                Assert.True(columns.All(v => v == 0) || columns.Count(v => v != 0) > columns.Count / 2, $"head {head} partly masked");
            }
            Assert.Contains(proj, v => v != 0);
            Assert.Contains(proj, v => v == 0);
        }
    }

    [Fact]
    public void Attention_scope_is_refused_on_an_mlp()
    {
        var learner = TinyRuns.Learner(TinyRuns.Permuted(2, 2), [new SoTu(new SoTuOptions(Scope: TuneScope.Attention))]);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(learner, TinyRuns.Evaluator()).Run());
        Assert.Contains("attention", error.Message, StringComparison.Ordinal);
    }
}
