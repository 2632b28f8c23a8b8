using Lifelong.NN;
using Lifelong.Rl.Vectorization;
using Lifelong.Training;

namespace Lifelong.Rl.Agents;

/// <summary>Deep Q-learning (Mnih et al. 2015) with a replay buffer, a target network, an ε-greedy schedule and, by default,
/// the Double DQN target and the Huber loss; the loop of CleanRL's <c>dqn.py</c>.</summary>
/// <remarks>
/// Every update is one <see cref="Learner.StepOnLoss"/> on a replayed minibatch, so the methods act on the Q-network (ReDo
/// was proposed for exactly this agent). The target network is not the learner's: methods regularize and recycle the
/// online network, and the target follows it every <see cref="DqnOptions.TargetNetworkFrequency"/> steps. Truncations
/// bootstrap (SB3's <c>handle_timeout_termination=True</c>); terminations do not. Randomness: exploration from
/// <c>rng.Split("exploration")</c>, replay sampling from <c>rng.Split("replay")</c>.
/// </remarks>
public sealed class Dqn : Agent
{
    /// <summary>The agent's name on the command line.</summary>
    public const string AgentName = "dqn";

    private readonly Mlp _online;
    private readonly Mlp _target;
    private readonly TransitionReplay _replay;
    private readonly Rng _explorationRng;
    private readonly Rng _replayRng;
    private readonly int _actions;
    private long _steps;
    private double _running;
    private Tensor _recent;

    /// <summary>A DQN agent for observations of <paramref name="observationSize"/> and <paramref name="actionCount"/> actions.</summary>
    public Dqn(int observationSize, int actionCount, DqnOptions options, Rng rng)
    {
        Options = options;
        var mlp = new MlpOptions(options.Activation, options.LayerNorm);
        _online = new Mlp([observationSize, .. options.Hidden, actionCount], rng.Split("network"), mlp);
        _target = new Mlp([observationSize, .. options.Hidden, actionCount], rng.Split("network"), mlp);
        _replay = new TransitionReplay(options.BufferSize, observationSize);
        _explorationRng = rng.Split("exploration");
        _replayRng = rng.Split("replay");
        _actions = actionCount;
        _recent = Tensor.Zeros(0, observationSize);
    }

    /// <summary>The settings.</summary>
    public DqnOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => AgentName;

    /// <inheritdoc/>
    public override Module Network => _online;

    /// <summary>The target network.</summary>
    public Mlp Target => _target;

    /// <inheritdoc/>
    public override int EnvironmentCount => 1;

    /// <inheritdoc/>
    public override int StepsPerIteration => Options.StepsPerIteration;

    /// <inheritdoc/>
    public override Tensor RecentObservations => _recent;

    /// <inheritdoc/>
    public override Optimizer CreateOptimizer() => new Adam(_online.Parameters(), lr: Options.Lr, eps: Options.AdamEps);

    /// <inheritdoc/>
    public override IterationStats Iterate(Learner learner, VectorEnvironment envs, int iteration, int iterations)
    {
        int size = envs.ObservationSize;
        long total = (long)iterations * Options.StepsPerIteration;
        var episodes = new List<double>();
        var recent = new float[Options.StepsPerIteration * size];
        double tdSum = 0;
        int updates = 0;
        for (int s = 0; s < Options.StepsPerIteration; s++)
        {
            var observation = (float[])envs.Observations.Clone();
            observation.CopyTo(recent, s * size);
            int action;
            if (_explorationRng.NextDouble() < Options.Epsilon(_steps, total)) action = _explorationRng.NextInt(_actions);
            else
            {
                Tensor q;
                using (Autograd.NoGrad()) q = _online.Forward(Tensor.FromArray(observation, 1, size));
                action = q.ArgMax(1)[0];
            }
            envs.Step([action]);
            bool done = envs.Terminated[0] || envs.Truncated[0];
            // s′: the copy has already been reset when its episode ended, so its last observation is in FinalObservations.
            _replay.Add(observation, action, (float)envs.Rewards[0], done ? envs.FinalObservations : envs.Observations, envs.Terminated[0]);
            _running += envs.Rewards[0];
            if (done)
            {
                episodes.Add(_running);
                _running = 0;
            }
            if (_steps > Options.LearningStarts)
            {
                if (_steps % Options.TrainFrequency == 0)
                {
                    tdSum += Update(learner);
                    updates++;
                }
                if (_steps % Options.TargetNetworkFrequency == 0) UpdateTarget();
            }
            _steps++;
        }
        _recent = Tensor.FromArray(recent, Options.StepsPerIteration, size);
        var losses = new Dictionary<string, double>();
        if (updates > 0) losses["td"] = tdSum / updates;
        return new IterationStats(episodes, updates, losses);
    }

    private double Update(Learner learner)
    {
        var (observations, actions, rewards, next, terminated) = _replay.Sample(Options.BatchSize, _replayRng);
        int n = actions.Length, size = _replay.ObservationSize;
        var nextTensor = Tensor.FromArray(next, n, size);
        float[] targets;
        using (Autograd.NoGrad())
        {
            var nextTarget = _target.Forward(nextTensor).ToArray();
            var nextOnline = Options.Double ? _online.Forward(nextTensor).ToArray() : nextTarget;
            targets = DqnMath.Targets(rewards, terminated, nextOnline, nextTarget, _actions, Options.Gamma, Options.Double);
        }
        float loss = 0;
        learner.StepOnLoss(Tensor.FromArray(observations, n, size), output =>
        {
            var q = output.Gather(1, actions, new Shape(n, 1)).Reshape(n);
            var y = Tensor.FromArray(targets, n);
            var term = Options.Loss == TdLoss.Huber ? DqnMath.Huber(q, y) : F.Mse(q, y);
            loss = term.Item();
            return term;
        });
        return loss;
    }

    private void UpdateTarget()
    {
        float tau = Options.Tau;
        foreach (var ((_, target), (_, online)) in _target.NamedParameters().Zip(_online.NamedParameters()))
        {
            Span<float> t = target.Span, o = online.Span;
            for (int i = 0; i < t.Length; i++) t[i] = tau * o[i] + (1 - tau) * t[i];
        }
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state)
    {
        state.SetRng("exploration", _explorationRng);
        state.SetRng("replay", _replayRng);
        state.Values["steps"] = _steps;
        state.Values["running"] = _running;
        foreach (var (name, value) in _target.StateDict()) state.Tensors[$"target.{name}"] = value;
        state.Tensors["recent"] = _recent;
        _replay.Save(state, "buffer");
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state)
    {
        state.GetRng("exploration", _explorationRng);
        state.GetRng("replay", _replayRng);
        _steps = state.Values["steps"]!.GetValue<long>();
        _running = state.Values["running"]!.GetValue<double>();
        var target = state.Tensors.Where(t => t.Key.StartsWith("target.", StringComparison.Ordinal)).ToDictionary(t => t.Key["target.".Length..], t => t.Value, StringComparer.Ordinal);
        _target.LoadStateDict(target);
        _recent = state.Tensors["recent"];
        _replay.Load(state, "buffer");
    }
}
