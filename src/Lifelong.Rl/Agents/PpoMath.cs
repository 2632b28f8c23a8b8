namespace Lifelong.Rl.Agents;

/// <summary>How a step of a rollout ends its return.</summary>
public enum StepEnd
{
    /// <summary>The episode goes on: the next step's value and return follow.</summary>
    Continues,

    /// <summary>A terminal state: nothing follows (V(s′) = 0).</summary>
    Terminal,

    /// <summary>Cut (time limit, end of the rollout) and bootstrapped from V(s′).</summary>
    Cut,
}

/// <summary>PPO's arithmetic on one rollout: GAE, reward-to-go targets, advantage normalisation, and the loss terms.</summary>
public static class PpoMath
{
    /// <summary>GAE advantages and bootstrapped reward-to-go of one environment's consecutive steps.</summary>
    /// <remarks>
    /// Backwards from the last step: δ_t = r_t + γ·V′ − V(s_t), A_t = δ_t + γλ·A′, G_t = r_t + γ·G′, where (V′, A′, G′) is
    /// (0, 0, 0) after a terminal step, (V(s′), 0, V(s′)) after a cut, and (V(s_{t+1}), A_{t+1}, G_{t+1}) otherwise
    /// (Schulman et al. 2016, eq. 16; C-CHAIN's <c>Episode.end_episode</c> per episode; CleanRL's loop with
    /// <c>nextnonterminal</c>). The last step must not continue: the caller cuts it with V(s_T).
    /// </remarks>
    /// <param name="rewards">r_t (as the learner sees them, already scaled).</param>
    /// <param name="values">V(s_t) at collection.</param>
    /// <param name="ends">How each step ends its return.</param>
    /// <param name="bootstrap">V(s′) for cut steps (ignored elsewhere).</param>
    /// <param name="gamma">γ.</param> <param name="lambda">λ.</param>
    /// <returns>A_t and G_t.</returns>
    public static (float[] Advantages, float[] RewardToGo) Advantages(ReadOnlySpan<float> rewards, ReadOnlySpan<float> values, ReadOnlySpan<StepEnd> ends, ReadOnlySpan<float> bootstrap, float gamma, float lambda)
    {
        int n = rewards.Length;
        if (values.Length != n || ends.Length != n || bootstrap.Length != n) throw new ArgumentException($"PpoMath.Advantages: {n} rewards need as many values, ends and bootstrap values.");
        if (n > 0 && ends[n - 1] == StepEnd.Continues) throw new ArgumentException("PpoMath.Advantages: the last step continues, so its return is unknown; cut it with V(s_T).");
        var advantages = new float[n];
        var returns = new float[n];
        for (int t = n - 1; t >= 0; t--)
        {
            var (nextValue, nextAdvantage, nextReturn) = ends[t] switch
            {
                StepEnd.Terminal => (0f, 0f, 0f),
                StepEnd.Cut => (bootstrap[t], 0f, bootstrap[t]),
                _ => (values[t + 1], advantages[t + 1], returns[t + 1]),
            };
            float delta = rewards[t] + gamma * nextValue - values[t];
            advantages[t] = delta + gamma * lambda * nextAdvantage;
            returns[t] = rewards[t] + gamma * nextReturn;
        }
        return (advantages, returns);
    }

    /// <summary>CleanRL's <c>approx_kl</c> of a minibatch: mean over rows of (ρ − 1) − log ρ, ρ = π(a|s)/π_old(a|s), from the
    /// current row-major logits (rows × actions) before the step (Schulman's k3 estimator of KL(π_old ‖ π), ≥ 0).</summary>
    public static double ApproximateKl(ReadOnlySpan<float> logits, ReadOnlySpan<int> actions, ReadOnlySpan<float> oldLogProbs)
    {
        int rows = actions.Length;
        if (rows == 0 || logits.Length % rows != 0 || oldLogProbs.Length != rows)
            throw new ArgumentException($"PpoMath.ApproximateKl: {logits.Length} logits, {actions.Length} actions and {oldLogProbs.Length} log-probabilities do not make one minibatch.");
        int count = logits.Length / rows;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * count, count);
            double max = double.NegativeInfinity, z = 0;
            foreach (float l in row) max = Math.Max(max, l);
            foreach (float l in row) z += Math.Exp(l - max);
            double logRatio = row[actions[r]] - max - Math.Log(z) - oldLogProbs[r];
            sum += Math.Exp(logRatio) - 1 - logRatio;
        }
        return sum / rows;
    }

    /// <summary>(x − mean)/(σ + ε) in place, σ the population (<paramref name="unbiased"/> false, numpy's std) or unbiased
    /// (torch's std) standard deviation, accumulated in double.</summary>
    public static void Normalize(Span<float> values, float eps, bool unbiased)
    {
        int n = values.Length;
        if (n == 0) return;
        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= n;
        double squares = 0;
        foreach (float v in values) squares += (v - mean) * (v - mean);
        int denominator = unbiased ? n - 1 : n;
        double std = denominator > 0 ? Math.Sqrt(squares / denominator) : 0;
        for (int i = 0; i < n; i++) values[i] = (float)((values[i] - mean) / (std + eps));
    }

    /// <summary>The clipped surrogate loss −mean(min(ρA, clip(ρ, 1 − ε, 1 + ε)·A)) with ρ = exp(log π(a|s) − log π_old(a|s)),
    /// and the policy's mean entropy −Σ π log π (Schulman et al. 2017, eq. 7).</summary>
    /// <param name="logits">(N, actions) with their graph.</param>
    /// <param name="actions">(N) the actions taken.</param>
    /// <param name="oldLogProbs">(N) log π_old(a|s) at collection.</param>
    /// <param name="advantages">(N) the advantages.</param>
    /// <param name="clip">ε.</param>
    public static (Tensor Surrogate, Tensor Entropy) PolicyLoss(Tensor logits, int[] actions, float[] oldLogProbs, float[] advantages, float clip)
    {
        int n = logits.Shape[0];
        var logProbs = F.LogSoftmax(logits, 1);
        var taken = logProbs.Gather(1, actions, new Shape(n, 1)).Reshape(n);
        var ratio = (taken - Tensor.FromArray(oldLogProbs, n)).Exp();
        var a = Tensor.FromArray(advantages, n);
        var surrogate = -(ratio * a).Minimum(ratio.Clamp(1 - clip, 1 + clip) * a).Mean();
        var entropy = -(logProbs.Exp() * logProbs).Sum(1).Mean();
        return (surrogate, entropy);
    }

    /// <summary>mean (V − target)², or with <paramref name="clip"/> CleanRL's clipped form mean max((V − R)², (V_old + clip(V − V_old, ±c) − R)²).</summary>
    /// <param name="values">(N) V with its graph.</param>
    /// <param name="targets">(N) the regression targets.</param>
    /// <param name="oldValues">(N) V at collection (for clipping).</param>
    /// <param name="clip">c, or null for the plain squared error.</param>
    public static Tensor ValueLoss(Tensor values, float[] targets, float[] oldValues, float? clip)
    {
        int n = values.Shape[0];
        var target = Tensor.FromArray(targets, n);
        var squared = (values - target).Square();
        if (clip is not { } c) return squared.Mean();
        var old = Tensor.FromArray(oldValues, n);
        var clipped = old + (values - old).Clamp(-c, c);
        return squared.Maximum((clipped - target).Square()).Mean();
    }
}
