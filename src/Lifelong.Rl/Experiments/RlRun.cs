using System.Diagnostics;
using Lifelong.Catalog;
using Lifelong.Evaluation;
using Lifelong.NN;
using Lifelong.Results;
using Lifelong.Rl.Agents;
using Lifelong.Rl.Levels;
using Lifelong.Rl.Vectorization;
using Lifelong.Runs;
using Lifelong.Training;

namespace Lifelong.Rl.Experiments;

/// <summary>An RL run: an agent and its methods on a schedule of levels, recorded in a run directory (<c>config.json</c>,
/// <c>metrics.jsonl</c>, <c>checkpoint.safetensors</c>, <c>result.json</c>) and resumable to the bit.</summary>
/// <remarks>
/// <para>The loop: each iteration is one <see cref="Agent.Iterate"/>; all environment copies step in lockstep, so iteration i
/// lies in visit i / <see cref="RlOptions.IterationsPerLevel"/>, and the level switches exactly at iteration boundaries
/// (each copy's schedule has K = iterations per level × steps per iteration of its own steps). With
/// <see cref="RlOptions.TellBoundaries"/>, the learner ends the task of the old visit and begins the new one there, so
/// methods with task hooks see the switch; without, the whole run is one task.</para>
/// <para>Randomness, from the root seed: the levels' offsets from <c>levels</c>, the environments' first reset from
/// <c>environments</c>, the agent from <c>agent</c>, the methods from their names.</para>
/// </remarks>
public sealed class RlRun
{
    private readonly RlConfig _config;
    private readonly RunDirectory _directory;
    private readonly Agent _agent;
    private readonly VectorEnvironment _envs;
    private readonly LevelScenario _scenario;
    private readonly LevelSchedule _schedule;
    private readonly Learner _learner;
    private readonly int _iterations;

    /// <summary>Builds the run of <paramref name="config"/> in <paramref name="directory"/> (nothing is trained or written yet).</summary>
    /// <exception cref="ConfigurationException">A setting is invalid or a method does not apply to agents.</exception>
    public RlRun(RlConfig config, RunDirectory directory)
    {
        config.Options.Validate();
        (_config, _directory) = (config, directory);
        var options = config.Options;
        var root = new Rng(config.Seed);
        var probe = options.CreateEnvironment();
        _agent = AgentFactory.Create(config.Agent, probe.ObservationSize, probe.ActionCount, root.Split("agent"));
        var levels = options.CreateLevels(probe.ObservationSize, root.Split("levels"));
        long stepsPerLevel = (long)options.IterationsPerLevel * _agent.StepsPerIteration;
        var schedule = _schedule = options.ReturnTo is { } returnTo ? LevelSchedule.WithReturn(options.Levels, stepsPerLevel, returnTo) : LevelSchedule.Sequential(options.Levels, stepsPerLevel);
        _envs = new VectorEnvironment(_ => new NonStationaryEnvironment(options.CreateEnvironment(), levels, schedule), _agent.EnvironmentCount);
        _iterations = schedule.Order.Count * options.IterationsPerLevel;
        int outputs;
        using (Autograd.NoGrad()) outputs = _agent.Network.Forward(Tensor.Zeros(1, probe.ObservationSize)).Shape[1];
        _scenario = new LevelScenario(options.Environment, schedule, outputs, options.IterationsPerLevel, config.Seed);
        var optimizer = config.Optimizer is null ? _agent.CreateOptimizer() : CreateOptimizer(config.Optimizer, _agent.Network);
        _learner = new Learner(_scenario, new ContinualModel(_agent.Network, outputs), optimizer, AgentMethods.Create(config.Methods), root, flatInputs: true);
        foreach (var method in _learner.Methods)
        {
            try { method.Validate(_learner); }
            catch (ArgumentException e) { throw new ConfigurationException($"method '{method.Name}': {ConfigurationException.Plain(e)}", e); }
        }
    }

    /// <summary>The agent.</summary>
    public Agent Agent => _agent;

    /// <summary>The learner over the agent's network.</summary>
    public Learner Learner => _learner;

    /// <summary>Iterations in the run.</summary>
    public int Iterations => _iterations;

    /// <summary>Called after every iteration with its record (progress display).</summary>
    public Action<IterationRecord>? IterationCompleted { get; set; }

    /// <summary>Called after every finished visit with its summary.</summary>
    public Action<LevelResult>? VisitCompleted { get; set; }

    /// <summary>Runs to the end (or, with <paramref name="stopAfter"/>, until that many iterations are done: how a test
    /// interrupts a run), from the checkpoint when <paramref name="resume"/>; returns the result, null when stopped early.</summary>
    /// <exception cref="InvalidDataException">The checkpoint cannot be resumed from.</exception>
    /// <exception cref="NotFiniteNumberException">A loss became NaN or infinite.</exception>
    public RlResult? Execute(bool resume, int? stopAfter = null)
    {
        var records = new List<IterationRecord>();
        var visits = new List<LevelResult>();
        Dictionary<Parameter, Tensor> initial;
        int start;
        long? metricsLength = null;
        if (resume)
        {
            var (progress, restored) = RlCheckpoint.Load(_directory.CheckpointFile, _config, _learner, _agent, _envs);
            initial = restored;
            (start, metricsLength) = (progress.Iterations, progress.MetricsLength);
            records.AddRange(progress.Records);
            visits.AddRange(progress.Levels);
            _learner.PrepareTaskWithoutData(_scenario.GetTask(progress.Task), progress.TaskStep);
            _learner.RestoreCounters(progress.LearnerSteps);
        }
        else
        {
            initial = _agent.Network.Snapshot();
            _learner.BeginRun();
            _envs.Reset(new Rng(_config.Seed).Split("environments").NextUInt64());
            _learner.BeginTaskWithoutData(_scenario.GetTask(0));
            start = 0;
        }
        using var metrics = new MetricsLog(_directory.MetricsFile, metricsLength);
        var clock = Stopwatch.StartNew();
        var options = _config.Options;
        long stepsPerIteration = (long)_agent.StepsPerIteration * _agent.EnvironmentCount;
        for (int iteration = start; iteration < _iterations; iteration++)
        {
            if (stopAfter is { } stop && iteration >= stop) return null;
            int visit = iteration / options.IterationsPerLevel;
            if (options.TellBoundaries && visit != _learner.CurrentTask!.Id)
            {
                _learner.EndTask();
                _learner.BeginTaskWithoutData(_scenario.GetTask(visit));
            }
            var stats = _agent.Iterate(_learner, _envs, iteration, _iterations);
            foreach (var (term, value) in stats.Losses)
                if (!double.IsFinite(value))
                    throw new NotFiniteNumberException($"training diverged at iteration {iteration + 1} (level visit {visit}): the {term} loss is {value}. Lower the learning rate or the methods' strength; metrics.jsonl has the losses up to here.", value);
            int level = _schedule.Order[visit];
            var record = new IterationRecord(iteration, visit, level, (iteration + 1) * stepsPerIteration, stats.Episodes.Count == 0 ? null : stats.MeanReturn, stats.Episodes, stats.Updates, stats.Losses);
            records.Add(record);
            metrics.Write(new { type = "iteration", record.Iteration, record.Visit, record.Level, record.EnvSteps, record.MeanReturn, episodes = record.Episodes.Count, record.Updates, losses = record.Losses });
            IterationCompleted?.Invoke(record);
            if ((iteration + 1) % options.IterationsPerLevel == 0)
            {
                var previous = visits.LastOrDefault(v => v.Level == level);
                var summary = RlResult.Summarise(records, visit, level, previous, options, stepsPerIteration, Probe(visit, initial));
                visits.Add(summary);
                metrics.Write(new { type = "level", summary.Visit, summary.Level, summary.FinalReturn, summary.MeanReturn, summary.StepsToThreshold, summary.ReturnOnRevisit, summary.Forgetting, summary.Episodes, summary.Probe });
                VisitCompleted?.Invoke(summary);
            }
            if ((iteration + 1) % options.CheckpointEvery == 0 || iteration + 1 == _iterations)
                RlCheckpoint.Save(_directory.CheckpointFile, _config, _learner, _agent, _envs, initial,
                    new RlProgress(iteration + 1, metrics.Length, _learner.TotalSteps, _learner.CurrentTask!.Id, _learner.TaskStep, records, visits));
        }
        _learner.EndTask();
        double? perIteration = _iterations > start ? clock.Elapsed.TotalSeconds / (_iterations - start) : null;
        var result = new RlResult(RlConfig.RlKind, _config, _iterations, _iterations * stepsPerIteration, RlResult.Average(records), options.ThresholdReturn,
            visits, RunProvenance.Capture([]), perIteration);
        RunDirectory.WriteAtomically(_directory.ResultFile, result.ToJson() + "\n");
        return result;
    }

    /// <summary>The plasticity probes on the agent's latest observations (at most <see cref="RlOptions.ProbeSize"/>, the most recent).</summary>
    private TaskProbe Probe(int visit, IReadOnlyDictionary<Parameter, Tensor> initial)
    {
        var (magnitude, distance) = Evaluator.WeightStatistics(_agent.Network, initial);
        var layers = new List<LayerProbe>();
        var observations = _agent.RecentObservations;
        if (_agent.Network is IHiddenFeatures features && observations.Shape[0] > 0)
        {
            int rows = Math.Min(observations.Shape[0], _config.Options.ProbeSize), size = observations.Shape[1];
            var inputs = observations.Slice(0, observations.Shape[0] - rows, rows);
            HiddenForward forward;
            using (Autograd.NoGrad()) forward = features.ForwardWithFeatures(Tensor.FromSpan(inputs.Span, new Shape(rows, size)));
            for (int l = 0; l < forward.Hidden.Count; l++)
            {
                var h = forward.Hidden[l];
                layers.Add(RepresentationProbe.Measure(features.HiddenLayerNames[l], h.Span, rows, h.Size / rows));
            }
        }
        return new TaskProbe(visit, layers, magnitude, distance);
    }

    private static Optimizer CreateOptimizer(string spec, Module network)
    {
        var parsed = ComponentSpec.Parse(spec, "optimizer");
        return OptimizerCatalog.Get(parsed.Name).Create(parsed, network.Parameters());
    }
}
