using System.Text.Json.Nodes;
using Lifelong.NN;
using Lifelong.Rl.Vectorization;
using Lifelong.Training;

namespace Lifelong.Rl.Agents;

/// <summary>Proximal Policy Optimization (Schulman et al. 2017) with separate policy and value networks: collect a rollout,
/// compute GAE advantages and value targets, then several epochs of minibatch updates of the clipped surrogate, the value
/// error and the entropy bonus.</summary>
/// <remarks>
/// Each minibatch update is one <see cref="Learner.StepOnLoss"/>, so the methods' hooks
/// run on every Adam step (L2 Init's ½λ‖θ − θ₀‖² is added to the PPO loss of each minibatch). The settings, and the two
/// presets they come in, are <see cref="PpoOptions"/>. Randomness: actions from <c>rng.Split("actions")</c>, minibatch
/// order from <c>rng.Split("minibatches")</c>, the networks from <c>rng.Split("network")</c>.
/// </remarks>
public sealed class Ppo : Agent
{
    /// <summary>The agent's name on the command line.</summary>
    public const string AgentName = "ppo";

    private readonly ActorCritic _network;
    private readonly Rng _actionRng;
    private readonly Rng _minibatchRng;
    private readonly double[] _running;
    private readonly int[] _lengths;
    private Tensor _recent;

    /// <summary>A PPO agent for observations of <paramref name="observationSize"/> and <paramref name="actionCount"/> actions.</summary>
    public Ppo(int observationSize, int actionCount, PpoOptions options, Rng rng)
    {
        Options = options;
        _network = new ActorCritic(observationSize, actionCount, options.Hidden, options.NetworkOptions, rng.Split("network"));
        if (options.Init == NetworkInit.Orthogonal) OrthogonalInit.ApplyCleanRl(_network, rng.Split("orthogonal"));
        _actionRng = rng.Split("actions");
        _minibatchRng = rng.Split("minibatches");
        _running = new double[options.Envs];
        _lengths = new int[options.Envs];
        _recent = Tensor.Zeros(0, observationSize);
    }

    /// <summary>The settings.</summary>
    public PpoOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => AgentName;

    /// <inheritdoc/>
    public override Module Network => _network;

    /// <summary>The policy and value networks.</summary>
    public ActorCritic ActorCritic => _network;

    /// <inheritdoc/>
    public override int EnvironmentCount => Options.Envs;

    /// <inheritdoc/>
    public override int StepsPerIteration => Options.StepsPerEnv;

    /// <inheritdoc/>
    public override Tensor RecentObservations => _recent;

    /// <inheritdoc/>
    public override Optimizer CreateOptimizer() => new Adam(_network.Parameters(), lr: Options.Lr, eps: Options.AdamEps);

    /// <inheritdoc/>
    public override IterationStats Iterate(Learner learner, VectorEnvironment envs, int iteration, int iterations)
    {
        if (Options.AnnealLr)
            foreach (var group in learner.Optimizer.ParamGroups) group.Lr = (1.0 - (double)iteration / iterations) * Options.Lr;
        var episodes = new List<double>();
        if (Options.ResetEachIteration && iteration > 0)
        {
            envs.Reset();
            Array.Clear(_running);
            Array.Clear(_lengths);
        }
        var rollout = Collect(envs, episodes);
        // The episodes the budget cut count as episodes (C-CHAIN's itr_mean_return); one that ended on the last step is already counted.
        if (Options.ResetEachIteration)
            for (int e = 0; e < _running.Length; e++)
                if (_lengths[e] > 0) episodes.Add(_running[e]);
        var losses = Update(learner, rollout);
        return new IterationStats(episodes, losses.Updates, losses.Means);
    }

    /// <summary>Steps every copy <see cref="PpoOptions.StepsPerEnv"/> times with the current policy.</summary>
    private Rollout Collect(VectorEnvironment envs, List<double> episodes)
    {
        int n = Options.Envs, steps = Options.StepsPerEnv, size = envs.ObservationSize, actionsCount = _network.ActionCount;
        var r = new Rollout(n, steps, size);
        var cuts = new List<(int Row, float[] Observation)>();
        var actions = new int[n];
        for (int t = 0; t < steps; t++)
        {
            envs.Observations.CopyTo(r.Observations, t * n * size);
            Tensor output;
            using (Autograd.NoGrad()) output = _network.Forward(Tensor.FromArray((float[])envs.Observations.Clone(), n, size));
            var values = output.Span;
            for (int e = 0; e < n; e++)
            {
                int row = t * n + e;
                var logits = values.Slice(e * (actionsCount + 1), actionsCount);
                var (action, logProb) = Sample(logits);
                actions[e] = action;
                r.Actions[row] = action;
                r.LogProbs[row] = logProb;
                r.Values[row] = values[e * (actionsCount + 1) + actionsCount];
            }
            envs.Step(actions);
            for (int e = 0; e < n; e++)
            {
                int row = t * n + e;
                r.Rewards[row] = (float)(envs.Rewards[e] / Options.RewardScale);
                _running[e] += envs.Rewards[e];
                _lengths[e]++;
                bool cut = envs.Truncated[e] && !envs.Terminated[e] && Options.BootstrapTruncation;
                r.Ends[row] = cut ? StepEnd.Cut : envs.Terminated[e] || envs.Truncated[e] ? StepEnd.Terminal : StepEnd.Continues;
                if (cut) cuts.Add((row, envs.FinalObservations.AsSpan(e * size, size).ToArray()));
                if (envs.Terminated[e] || envs.Truncated[e])
                {
                    episodes.Add(_running[e]);
                    (_running[e], _lengths[e]) = (0, 0);
                }
            }
        }
        // The rollout ends mid-episode for every copy still running: bootstrap those from V(s_T).
        for (int e = 0; e < n; e++)
        {
            int row = (steps - 1) * n + e;
            if (r.Ends[row] == StepEnd.Continues)
            {
                r.Ends[row] = StepEnd.Cut;
                cuts.Add((row, envs.Observations.AsSpan(e * size, size).ToArray()));
            }
        }
        if (cuts.Count > 0)
        {
            Tensor bootstrap;
            using (Autograd.NoGrad()) bootstrap = _network.Values(_network.Forward(Tensor.FromArray([.. cuts.SelectMany(c => c.Observation)], cuts.Count, size)));
            for (int i = 0; i < cuts.Count; i++) r.Bootstrap[cuts[i].Row] = bootstrap.Span[i];
        }
        _recent = Tensor.FromArray(r.Observations, n * steps, size);
        r.ComputeTargets(Options);
        return r;
    }

    private (int Action, float LogProb) Sample(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float l in logits) max = Math.Max(max, l);
        double sum = 0;
        foreach (float l in logits) sum += Math.Exp(l - max);
        double u = _actionRng.NextDouble() * sum, cumulative = 0;
        int action = logits.Length - 1;
        for (int a = 0; a < logits.Length; a++)
        {
            cumulative += Math.Exp(logits[a] - max);
            if (u < cumulative) { action = a; break; }
        }
        return (action, (float)(logits[action] - max - Math.Log(sum)));
    }

    private (int Updates, Dictionary<string, double> Means) Update(Learner learner, Rollout r)
    {
        int rows = r.Actions.Length, size = r.ObservationSize, batch = Options.MinibatchSize;
        double policySum = 0, valueSum = 0, entropySum = 0;
        int updates = 0;
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            double approximateKl = 0;
            var order = _minibatchRng.Permutation(rows);
            for (int start = 0; start < rows; start += batch)
            {
                int count = Math.Min(batch, rows - start);
                var index = order.AsSpan(start, count).ToArray();
                var observations = new float[count * size];
                for (int i = 0; i < count; i++) r.Observations.AsSpan(index[i] * size, size).CopyTo(observations.AsSpan(i * size));
                var actions = index.Select(i => r.Actions[i]).ToArray();
                var oldLogProbs = index.Select(i => r.LogProbs[i]).ToArray();
                var advantages = index.Select(i => r.Advantages[i]).ToArray();
                if (Options.Normalization == AdvantageNormalization.Minibatch) PpoMath.Normalize(advantages, Options.AdvantageEps, unbiased: true);
                var targets = index.Select(i => r.Targets[i]).ToArray();
                var oldValues = index.Select(i => r.Values[i]).ToArray();
                float policy = 0, value = 0, entropy = 0;
                learner.StepOnLoss(Tensor.FromArray(observations, count, size), output =>
                {
                    var logits = _network.Logits(output);
                    if (Options.TargetKl > 0) approximateKl = PpoMath.ApproximateKl(logits.ToArray(), actions, oldLogProbs);
                    var (surrogate, entropyTerm) = PpoMath.PolicyLoss(logits, actions, oldLogProbs, advantages, Options.Clip);
                    var valueTerm = PpoMath.ValueLoss(_network.Values(output), targets, oldValues, Options.ClipValueLoss ? Options.Clip : null);
                    (policy, value, entropy) = (surrogate.Item(), valueTerm.Item(), entropyTerm.Item());
                    return surrogate - Options.EntropyCoefficient * entropyTerm + Options.ValueCoefficient * valueTerm;
                }, Options.MaxGradNorm > 0 ? () => GradientClipping.ClipNorm(_network.Parameters(), Options.MaxGradNorm) : null);
                (policySum, valueSum, entropySum) = (policySum + policy, valueSum + value, entropySum + entropy);
                updates++;
            }
            if (Options.TargetKl > 0 && approximateKl > Options.TargetKl) break;
        }
        return (updates, new Dictionary<string, double> { ["policy"] = policySum / updates, ["value"] = valueSum / updates, ["entropy"] = entropySum / updates });
    }

    /// <inheritdoc/>
    public override void SaveState(MethodState state)
    {
        state.SetRng("actions", _actionRng);
        state.SetRng("minibatches", _minibatchRng);
        state.Values["running"] = new JsonArray([.. _running.Select(v => JsonValue.Create(v))]);
        state.Values["lengths"] = new JsonArray([.. _lengths.Select(v => JsonValue.Create(v))]);
        state.Tensors["recent"] = _recent;
    }

    /// <inheritdoc/>
    public override void LoadState(MethodState state)
    {
        state.GetRng("actions", _actionRng);
        state.GetRng("minibatches", _minibatchRng);
        var running = state.Values["running"]!.AsArray();
        var lengths = state.Values["lengths"]!.AsArray();
        for (int e = 0; e < _running.Length; e++) (_running[e], _lengths[e]) = (running[e]!.GetValue<double>(), lengths[e]!.GetValue<int>());
        _recent = state.Tensors["recent"];
    }

    /// <summary>One iteration's experience, row t·Envs + e for copy e's step t.</summary>
    private sealed class Rollout(int envs, int steps, int observationSize)
    {
        public int ObservationSize { get; } = observationSize;
        public float[] Observations { get; } = new float[envs * steps * observationSize];
        public int[] Actions { get; } = new int[envs * steps];
        public float[] LogProbs { get; } = new float[envs * steps];
        public float[] Values { get; } = new float[envs * steps];
        public float[] Rewards { get; } = new float[envs * steps];
        public StepEnd[] Ends { get; } = new StepEnd[envs * steps];
        public float[] Bootstrap { get; } = new float[envs * steps];
        public float[] Advantages { get; private set; } = [];
        public float[] Targets { get; private set; } = [];

        /// <summary>GAE and reward-to-go along each copy's steps, then the value targets and batch normalisation.</summary>
        public void ComputeTargets(PpoOptions options)
        {
            Advantages = new float[envs * steps];
            Targets = new float[envs * steps];
            for (int e = 0; e < envs; e++)
            {
                var (advantages, returns) = PpoMath.Advantages(Column(Rewards, e), Column(Values, e), Column(Ends, e), Column(Bootstrap, e), options.Gamma, options.Lambda);
                for (int t = 0; t < steps; t++)
                {
                    int row = t * envs + e;
                    Advantages[row] = advantages[t];
                    Targets[row] = options.Target == ValueTarget.RewardToGo ? returns[t] : advantages[t] + Values[row];
                }
            }
            if (options.Normalization == AdvantageNormalization.Batch) PpoMath.Normalize(Advantages, options.AdvantageEps, unbiased: false);
        }

        private T[] Column<T>(T[] values, int e)
        {
            var column = new T[steps];
            for (int t = 0; t < steps; t++) column[t] = values[t * envs + e];
            return column;
        }
    }
}
