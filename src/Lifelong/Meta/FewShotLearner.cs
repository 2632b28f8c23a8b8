using Lifelong.Experiments;
using Lifelong.NN;
using Lifelong.Scenarios;

namespace Lifelong.Meta;

/// <summary>One meta-training iteration's numbers: the meta-loss (or pretraining loss) and, for ProtoNets, the query
/// accuracy of the training episode; NaN where the learner has none (Reptile reports neither).</summary>
public readonly record struct FewShotStep(double Loss, double Accuracy);

/// <summary>A learner of <see cref="FewShotBenchmark"/>, one meta-training iteration at a time, so that a run can log,
/// checkpoint and resume between iterations.</summary>
/// <remarks>Iteration <c>i</c> reads only episodes <c>i·B .. i·B + B − 1</c> of the fixed episode stream and the learner's
/// own state (model, outer optimizer, Meta-SGD's step sizes), so a learner restored from <see cref="Save"/> and stepped from
/// iteration <c>i</c> on computes exactly what one that never stopped computes.</remarks>
public abstract class FewShotLearner
{
    /// <summary>The model that is meta-trained (what <c>--save</c> writes).</summary>
    public abstract Module Model { get; }

    /// <summary>Meta-training iteration <paramref name="iteration"/> of <paramref name="total"/> (from 0).</summary>
    public abstract FewShotStep Step(int iteration, int total);

    /// <summary>Readies <see cref="Score"/> for the current weights (the pretraining baseline builds its N-way model here).</summary>
    public virtual void PrepareScoring() { }

    /// <summary>Query accuracy on a meta-test episode after adapting on its support set; leaves the learner unchanged.</summary>
    public abstract double Score(ContinualTask episode);

    /// <summary>Adds the learner's state to <paramref name="state"/>.</summary>
    public abstract void Save(ExperimentState state);

    /// <summary>Restores the learner's state from <paramref name="state"/>.</summary>
    public abstract void Restore(ExperimentState state);
}

/// <summary>MAML, FOMAML, Meta-SGD and ANIL.</summary>
internal sealed class MamlLearner(Module model, Maml maml, FewShotBenchmark.Setup setup, FewShotBenchmarkOptions options, FewShotEpisodes episodes, Optimizer outer) : FewShotLearner
{
    public override Module Model => model;

    public override FewShotStep Step(int iteration, int total) => new(maml.Step(FewShotBenchmark.MetaBatch(episodes, setup, iteration, options.MetaBatch)), double.NaN);

    public override double Score(ContinualTask episode) => maml.Accuracy(FewShotBenchmark.MetaTaskOf(episode, setup.Flat), options.TestInnerSteps);

    public override void Save(ExperimentState state) => state.With("model", model).With("inner_lr", maml.InnerLrs).With("outer", outer);

    public override void Restore(ExperimentState state)
    {
        state.Restore("model", model);
        state.Restore("inner_lr", maml.InnerLrs);
        state.Restore("outer", outer);
    }
}

/// <summary>Reptile: its only state is the model (ε is annealed by the iteration number).</summary>
internal sealed class ReptileLearner(Module model, Reptile reptile, FewShotBenchmark.Setup setup, FewShotBenchmarkOptions options, FewShotEpisodes episodes) : FewShotLearner
{
    private readonly Maml _adapt = new(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(options.InnerLr));

    public override Module Model => model;

    public override FewShotStep Step(int iteration, int total)
    {
        reptile.Step(FewShotBenchmark.MetaBatch(episodes, setup, iteration, options.MetaBatch), iteration, total);
        return new(double.NaN, double.NaN);
    }

    public override double Score(ContinualTask episode) => _adapt.Accuracy(FewShotBenchmark.MetaTaskOf(episode, setup.Flat), options.TestInnerSteps);

    public override void Save(ExperimentState state) => state.With("model", model);

    public override void Restore(ExperimentState state) => state.Restore("model", model);
}

/// <summary>Prototypical networks: one training episode per iteration.</summary>
internal sealed class ProtoNetLearner(Module embedding, PrototypicalNetwork protonet, Optimizer optimizer, FewShotEpisodes episodes) : FewShotLearner
{
    public override Module Model => embedding;

    public override FewShotStep Step(int iteration, int total)
    {
        optimizer.ZeroGrad();
        var (loss, accuracy) = protonet.Episode(episodes.GetTask(iteration % episodes.TaskCount), episodes.OutputCount);
        loss.Backward();
        optimizer.Step();
        return new(loss.Item(), accuracy);
    }

    public override double Score(ContinualTask episode) => protonet.Evaluate(episode, episodes.OutputCount);

    public override void Save(ExperimentState state) => state.With("model", embedding).With("outer", optimizer);

    public override void Restore(ExperimentState state)
    {
        state.Restore("model", embedding);
        state.Restore("outer", optimizer);
    }
}

/// <summary>The pretraining baseline: supervised training on every meta-train class, then, for scoring, the same body with a
/// fresh N-way head of zeros fine-tuned on each support set.</summary>
internal sealed class PretrainLearner(Module classifier, Adam adam, FewShotBenchmark.Setup setup, FewShotBenchmarkOptions options, FewShotEpisodes episodes) : FewShotLearner
{
    private readonly Dictionary<int, int> _pool = episodes.MetaTrainPool.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    private Module? _model;
    private Maml? _adapt;

    public override Module Model => _model ?? classifier;

    public override FewShotStep Step(int iteration, int total)
    {
        var batch = FewShotBenchmark.MetaBatch(episodes, setup, iteration, options.MetaBatch);
        var tasks = Enumerable.Range(0, options.MetaBatch).Select(i => episodes.GetTask((iteration * options.MetaBatch + i) % episodes.TaskCount)).ToList();
        var x = TensorMath.Concat([.. batch.SelectMany(t => new[] { t.SupportX, t.QueryX })], 0);
        int[] labels = [.. batch.Zip(tasks).SelectMany(p => p.First.SupportLabels!.Concat(p.First.QueryLabels!).Select(k => _pool[p.Second.Classes[k]]))];
        adam.ZeroGrad();
        var loss = F.CrossEntropy(classifier.Forward(x), labels);
        loss.Backward();
        adam.Step();
        return new(loss.Item(), double.NaN);
    }

    public override void PrepareScoring()
    {
        // Every weight of the N-way model is set here (the body from the classifier, the head to zero), so its init is irrelevant.
        var model = setup.NewModel(episodes.OutputCount, "model1");
        var body = classifier.StateDict().Where(p => !p.Key.StartsWith("head", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value);
        model.LoadStateDict(body, strict: false);
        using (Autograd.NoGrad())
            foreach (var (name, p) in model.NamedParameters())
                if (name.StartsWith("head", StringComparison.Ordinal)) p.Span.Clear();
        (_model, _adapt) = (model, new Maml(model, new Sgd(model.Parameters(), lr: 0), new MamlOptions(options.InnerLr)));
    }

    public override double Score(ContinualTask episode) =>
        (_adapt ?? throw new InvalidOperationException("PrepareScoring first.")).Accuracy(FewShotBenchmark.MetaTaskOf(episode, setup.Flat), options.TestInnerSteps);

    public override void Save(ExperimentState state) => state.With("model", classifier).With("outer", adam);

    public override void Restore(ExperimentState state)
    {
        state.Restore("model", classifier);
        state.Restore("outer", adam);
    }
}
