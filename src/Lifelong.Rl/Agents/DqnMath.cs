namespace Lifelong.Rl.Agents;

/// <summary>DQN's arithmetic: the (Double) DQN target and the Huber loss.</summary>
public static class DqnMath
{
    /// <summary>y = r + γ(1 − terminated)·Q_target(s′, a′), with a′ = argmax Q_online(s′, ·) for Double DQN (van Hasselt,
    /// Guez &amp; Silver 2016) or argmax Q_target(s′, ·) for DQN (Mnih et al. 2015). Ties go to the first action.</summary>
    /// <param name="rewards">(N) r.</param> <param name="terminated">(N) whether s′ is terminal.</param>
    /// <param name="nextOnline">(N·A) Q_online(s′, ·), row-major; ignored when <paramref name="isDouble"/> is false.</param>
    /// <param name="nextTarget">(N·A) Q_target(s′, ·).</param>
    /// <param name="actionCount">A.</param> <param name="gamma">γ.</param> <param name="isDouble">Double DQN.</param>
    public static float[] Targets(ReadOnlySpan<float> rewards, ReadOnlySpan<bool> terminated, ReadOnlySpan<float> nextOnline, ReadOnlySpan<float> nextTarget, int actionCount, float gamma, bool isDouble)
    {
        int n = rewards.Length;
        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            var chooser = (isDouble ? nextOnline : nextTarget).Slice(i * actionCount, actionCount);
            int best = 0;
            for (int a = 1; a < actionCount; a++) if (chooser[a] > chooser[best]) best = a;
            targets[i] = rewards[i] + (terminated[i] ? 0f : gamma * nextTarget[i * actionCount + best]);
        }
        return targets;
    }

    /// <summary>mean Huber(q − y) with δ = 1: ½d² for |d| ≤ 1, |d| − ½ beyond (PyTorch's <c>smooth_l1_loss</c>), written as
    /// ½m² + (|d| − m) with m = min(|d|, 1), which is differentiable with ops we have.</summary>
    public static Tensor Huber(Tensor q, Tensor targets)
    {
        var absolute = (q - targets).Abs();
        var quadratic = absolute.Clamp(max: 1f);
        return (0.5f * quadratic.Square() + (absolute - quadratic)).Mean();
    }
}
