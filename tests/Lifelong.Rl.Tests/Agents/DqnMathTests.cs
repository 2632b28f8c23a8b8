using Lifelong.Rl.Agents;

namespace Lifelong.Rl.Tests.Agents;

public class DqnMathTests
{
    // Two transitions, three actions. Online Q(s′) prefers action 2 in row 0; target Q(s′) prefers action 0.
    private static readonly float[] NextOnline = [1, 0, 5, 0, 3, 1];
    private static readonly float[] NextTarget = [4, 1, 2, 7, 0, 9];

    [Fact]
    public void Double_dqn_values_the_online_networks_choice_with_the_target_network()
    {
        var y = DqnMath.Targets([1f, 2f], [false, false], NextOnline, NextTarget, actionCount: 3, gamma: 0.5f, isDouble: true);
        // Row 0: a′ = argmax(1, 0, 5) = 2 → 1 + 0.5·2 = 2. Row 1: a′ = argmax(0, 3, 1) = 1 → 2 + 0.5·0 = 2.
        Assert.Equal([2f, 2f], y);
    }

    [Fact]
    public void Dqn_takes_the_target_networks_maximum_and_a_terminal_state_has_no_future()
    {
        var y = DqnMath.Targets([1f, 2f], [false, true], NextOnline, NextTarget, actionCount: 3, gamma: 0.5f, isDouble: false);
        // Row 0: 1 + 0.5·max(4, 1, 2) = 3. Row 1 is terminal: 2.
        Assert.Equal([3f, 2f], y);
    }

    [Fact]
    public void Huber_is_quadratic_inside_one_and_linear_outside()
    {
        var q = Tensor.FromArray([0.5f, 3f, -2f], 3);
        q.RequiresGrad = true;
        var loss = DqnMath.Huber(q, Tensor.Zeros(3));
        // ½·0.25 = 0.125; 3 − ½ = 2.5; 2 − ½ = 1.5; mean 4.125/3.
        Assert.Equal(4.125f / 3, loss.Item(), 6);
        loss.Backward();
        // d/dq: q inside (0.5), sign(q) outside (1, −1); divided by 3 for the mean.
        Assert.Equal([0.5f / 3, 1f / 3, -1f / 3], q.Grad!.ToArray());
    }
}
