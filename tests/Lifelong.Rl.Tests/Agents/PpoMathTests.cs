using Lifelong.Rl.Agents;

namespace Lifelong.Rl.Tests.Agents;

public class PpoMathTests
{
    private const float Gamma = 0.9f, Lambda = 0.5f;

    [Fact]
    public void Gae_and_reward_to_go_match_a_hand_computation_across_a_terminal_and_a_cut()
    {
        // Steps 0,1 form an episode that terminates at step 1; steps 2,3 an episode cut at step 3 with V(s′) = 2.
        float[] r = [1, 2, 3, 4], v = [0.5f, 1, 1.5f, 2];
        StepEnd[] ends = [StepEnd.Continues, StepEnd.Terminal, StepEnd.Continues, StepEnd.Cut];
        float[] bootstrap = [0, 0, 0, 2];
        var (a, g) = PpoMath.Advantages(r, v, ends, bootstrap, Gamma, Lambda);
        // δ1 = 2 + 0 − 1 = 1; A1 = 1.            δ0 = 1 + 0.9·1 − 0.5 = 1.4; A0 = 1.4 + 0.45·1 = 1.85.
        // δ3 = 4 + 0.9·2 − 2 = 3.8; A3 = 3.8.    δ2 = 3 + 0.9·2 − 1.5 = 3.3; A2 = 3.3 + 0.45·3.8 = 5.01.
        Assert.Equal([1.85f, 1f, 5.01f, 3.8f], a, new Tolerance(1e-5f));
        // G1 = 2; G0 = 1 + 0.9·2 = 2.8; G3 = 4 + 0.9·2 = 5.8; G2 = 3 + 0.9·5.8 = 8.22.
        Assert.Equal([2.8f, 2f, 8.22f, 5.8f], g, new Tolerance(1e-5f));
    }

    [Fact]
    public void A_rollout_whose_last_step_continues_is_refused() =>
        Assert.Throws<ArgumentException>(() => PpoMath.Advantages([1f], [0f], [StepEnd.Continues], [0f], Gamma, Lambda));

    [Fact]
    public void Batch_normalisation_uses_the_population_deviation_and_minibatch_normalisation_the_unbiased_one()
    {
        // x = 1, 2, 3, 6: mean 3, squares 4 + 1 + 0 + 9 = 14; population σ = √3.5, unbiased σ = √(14/3).
        float[] population = [1, 2, 3, 6], unbiased = [1, 2, 3, 6];
        PpoMath.Normalize(population, 1e-5f, unbiased: false);
        PpoMath.Normalize(unbiased, 1e-8f, unbiased: true);
        Assert.Equal(-2 / (Math.Sqrt(3.5) + 1e-5), population[0], 5);
        Assert.Equal(3 / (Math.Sqrt(3.5) + 1e-5), population[3], 5);
        Assert.Equal(-2 / Math.Sqrt(14.0 / 3), unbiased[0], 5);
    }

    [Fact]
    public void The_clipped_surrogate_takes_the_pessimistic_term_for_each_sample()
    {
        // Two actions, logits chosen so that π(a = 0) = 0.5 (logits 0, 0) and π(a = 0) = e/(1+e) (logits 1, 0).
        var logits = Tensor.FromArray([0f, 0f, 1f, 0f], 2, 2);
        float p1 = MathF.E / (1 + MathF.E);
        // Sample 0: old π 0.25 → ρ = 2, A = +1: min(2, 1.2) = 1.2. Sample 1: old π p1/2 → ρ = 2, A = −1: min(−2, −1.2) = −2.
        float[] old = [MathF.Log(0.25f), MathF.Log(p1 / 2)];
        var (surrogate, entropy) = PpoMath.PolicyLoss(logits, [0, 0], old, [1f, -1f], clip: 0.2f);
        Assert.Equal(-(1.2f + -2f) / 2, surrogate.Item(), 5);
        // Entropy: ln 2 for the uniform row, −p ln p − (1−p) ln(1−p) for the other.
        float h1 = -(p1 * MathF.Log(p1) + (1 - p1) * MathF.Log(1 - p1));
        Assert.Equal((MathF.Log(2) + h1) / 2, entropy.Item(), 5);
    }

    [Fact]
    public void The_surrogate_gradient_vanishes_where_the_ratio_is_clipped()
    {
        // ρ = 2 with A > 0: the clipped term 1.2·A is the minimum and does not depend on θ.
        var logits = Tensor.FromArray([0f, 0f], 1, 2);
        logits.RequiresGrad = true;
        var (surrogate, _) = PpoMath.PolicyLoss(logits, [0], [MathF.Log(0.25f)], [1f], clip: 0.2f);
        surrogate.Backward();
        Assert.All(logits.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void The_value_loss_is_the_mean_squared_error_or_the_larger_of_the_clipped_and_unclipped_errors()
    {
        var values = Tensor.FromArray([1f, 3f], 2);
        // Plain: ((1 − 0)² + (3 − 2)²)/2 = 1.
        Assert.Equal(1f, PpoMath.ValueLoss(values, [0f, 2f], [0f, 0f], clip: null).Item(), 6);
        // Clipped with c = 0.5 around V_old = (0, 0): clipped V = (0.5, 0.5); errors max((1)², (0.5)²) = 1 and
        // max((1)², (−1.5)²) = 2.25; mean 1.625.
        Assert.Equal(1.625f, PpoMath.ValueLoss(values, [0f, 2f], [0f, 0f], clip: 0.5f).Item(), 6);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }

    [Fact]
    public void The_approximate_kl_is_the_mean_of_ratio_minus_one_minus_log_ratio()
    {
        // Row 0: logits (0, ln 3) give π = (1/4, 3/4); action 1 with π_old = 1/2: ρ = 3/2, (ρ − 1) − ln ρ = 0.5 − ln 1.5.
        // Row 1: logits (0, 0), action 0 with π_old = 1/2: ρ = 1, contributes 0.
        float[] logits = [0f, (float)Math.Log(3), 0f, 0f];
        double kl = PpoMath.ApproximateKl(logits, [1, 0], [(float)Math.Log(0.5), (float)Math.Log(0.5)]);
        Assert.Equal((0.5 - Math.Log(1.5)) / 2, kl, 6);
        Assert.Throws<ArgumentException>(() => PpoMath.ApproximateKl(logits, [1, 0, 1], [0f, 0f]));
    }
}
